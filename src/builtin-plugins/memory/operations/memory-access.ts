/**
 * Who is asking: decides what memory a tool call may see. Built from the session by
 * `decideSessionPrivacy`; the CLI (the operator) is private.
 */
export interface MemoryAccess {
  /** Private sessions may read MEMORY.md; group chats may not (it is left out of search and refused by get). */
  readonly private: boolean;
  /** Tags daily-log entries this session writes. */
  readonly channel?: string;
  readonly session?: string;
}

/** The operator at the command line. */
export const OPERATOR_ACCESS: MemoryAccess = { private: true };
