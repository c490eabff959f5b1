/** What `status()` reports: whether the channel runs, when it last did something, what went wrong last. */
export class WebhookActivity {
  running = false;
  lastActivityAt: number | undefined;
  lastError: string | undefined;

  touch(now: number): void {
    this.lastActivityAt = now;
  }

  deliveryFailed(message: string): void {
    this.lastError = message;
  }
}
