/** Sessions are keyed `agentId:channel:conversationId`, so one conversation maps to one session. */
export function sessionKey(agentId: string, channel: string, conversationId: string): string {
  return `${agentId}:${channel}:${conversationId}`;
}
