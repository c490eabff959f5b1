/**
 * A heartbeat is a periodic check-in rather than a user message: the scheduler marks it with
 * `metadata.heartbeat: true`, and an operator can trigger one by sending the word itself.
 */
export function isHeartbeatMessage(content: string, metadata: Readonly<Record<string, unknown>> | undefined): boolean {
  if (metadata?.heartbeat === true) return true;
  const text = content.trim().toLowerCase();
  return text === 'heartbeat' || text.startsWith('heartbeat ');
}
