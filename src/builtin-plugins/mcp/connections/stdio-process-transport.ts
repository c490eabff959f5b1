import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { StdioServerSettings } from '../config/index.js';
import { ProcessGroup, type ExitInfo } from './process-group.js';
import { StderrTail } from './stderr-tail.js';
import type { Timers } from './timers.js';

/**
 * The SDK's stdio client transport, except that the child is spawned in its own process group
 * and ended with that group (the SDK's transport signals only the child, so an `npx` server's
 * real process survives it). Framing is the SDK's own `ReadBuffer` and `serializeMessage`.
 */
export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private group: ProcessGroup | undefined;
  private readonly buffer = new ReadBuffer();
  private readonly stderr = new StderrTail();
  private closed = false;

  constructor(
    private readonly settings: StdioServerSettings,
    private readonly timers: Timers,
    private readonly onStderrLine: (line: string) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    if (this.group) throw new Error('StdioProcessTransport already started');
    try {
      this.group = await ProcessGroup.start({
        command: this.settings.command,
        args: this.settings.args,
        env: { ...getDefaultEnvironment(), ...this.settings.env },
        cwd: this.settings.cwd,
        timers: this.timers,
      });
    } catch (error) {
      throw new Error(describeSpawnError(error as NodeJS.ErrnoException, this.settings), { cause: error });
    }
    const { child } = this.group;
    child.stdout.on('data', (chunk: Buffer) => {
      try {
        this.buffer.append(chunk);
      } catch (error) {
        // One message over the SDK's 10 MB line limit: the stream cannot be resynchronised.
        this.onerror?.(error as Error);
        void this.close();
        return;
      }
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (error) {
          // A line that is not JSON-RPC: servers that log to stdout. Report it and read on.
          this.onerror?.(error as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => this.stderr.append(chunk, this.onStderrLine));
    child.stdin.on('error', (error) => this.onerror?.(error));
    child.stdout.on('error', (error) => this.onerror?.(error));
    void this.group.exited.then(() => this.handleExit());
  }

  get pid(): number | undefined {
    return this.group?.pid;
  }

  get exitInfo(): ExitInfo | undefined {
    return this.group?.exitInfo;
  }

  /** The last lines the server wrote to stderr, for error messages. */
  stderrTail(): string {
    return this.stderr.text();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.group?.child.stdin;
    if (!stdin || this.closed || !stdin.writable) throw new Error('Not connected');
    if (!stdin.write(serializeMessage(message))) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  /** Ends the server's whole process group and waits until it is gone. */
  async close(): Promise<void> {
    if (!this.group) {
      this.finish();
      return;
    }
    await this.group.end();
    this.finish();
  }

  private handleExit(): void {
    // A crash can leave grandchildren running in the group; end them too.
    void this.group?.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.clear();
    this.onclose?.();
  }
}

function describeSpawnError(error: NodeJS.ErrnoException, settings: StdioServerSettings): string {
  if (error.code === 'ENOENT') {
    return settings.cwd !== undefined && error.path === undefined
      ? `cannot start "${settings.command}": it or the folder ${settings.cwd} does not exist`
      : `cannot start "${settings.command}": command not found (is it installed and on PATH?)`;
  }
  if (error.code === 'EACCES') return `cannot start "${settings.command}": permission denied (is it executable?)`;
  return `cannot start "${settings.command}": ${error.message}`;
}
