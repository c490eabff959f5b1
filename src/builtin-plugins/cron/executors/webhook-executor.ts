import { formatDuration } from '@nexus/plugin-sdk';
import type { Clock } from '@nexus/plugin-sdk';
import type { JobOfType } from '../config/index.js';
import type { Timers } from '../time/index.js';
import { renderTemplate, type TemplateValues } from './body-template.js';
import type { ExecutionResult, JobExecutor, RunContext } from './job-executor.js';

export interface WebhookExecutorOptions {
  readonly clock: Clock;
  readonly timers: Timers;
  /** Global fetch by default. */
  readonly fetch?: typeof fetch;
}

/** Bytes of the response kept as the run's output. */
const RESPONSE_EXCERPT_BYTES = 2048;
const TIMED_OUT = Symbol('webhook timeout');

/**
 * Sends a job's HTTP request. 2xx is success; anything else fails: 5xx, 408, 425, 429 and network
 * errors or a request timeout are transient (worth a retry), other statuses are not (a 3xx
 * included: redirects are not followed, so a signed or secret-bearing request never goes
 * somewhere unconfigured). Messages name the URL without its query and credentials, and never
 * the headers, which may hold tokens.
 */
export class WebhookExecutor implements JobExecutor<'webhook'> {
  readonly retryOnTimeout = true;

  constructor(private readonly options: WebhookExecutorOptions) {}

  async execute(job: JobOfType<'webhook'>, run: RunContext, signal: AbortSignal): Promise<ExecutionResult> {
    const { url, method, timeoutMs } = job.payload;
    const where = safeUrl(url);
    const controller = new AbortController();
    const timer = this.options.timers.setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    const relay = () => controller.abort(signal.reason);
    if (signal.aborted) relay();
    signal.addEventListener('abort', relay, { once: true });
    try {
      const request = this.request(job, run);
      const response = await (this.options.fetch ?? fetch)(request.url, { method, headers: request.headers, body: request.body ?? null, redirect: 'manual', signal: controller.signal });
      const text = await readExcerpt(response);
      const output = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text ? `: ${text}` : ''}`;
      if (response.status >= 200 && response.status < 300) return { status: 'ok', output };
      const status = response.status;
      const transient = status >= 500 || status === 408 || status === 425 || status === 429;
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed; set webhook.url to the final URL)' : '';
      return { status: 'error', error: `${method} ${where} answered ${status}${redirect}`, transient, output };
    } catch (error) {
      if (controller.signal.reason === TIMED_OUT) return { status: 'error', error: `${method} ${where} did not answer within ${formatDuration(timeoutMs)} (webhook.timeout)`, transient: true };
      if (signal.aborted) return { status: 'error', error: `${method} ${where} was abandoned: ${String((signal.reason as Error | undefined)?.message ?? signal.reason)}`, transient: false };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if (cause !== undefined) return { status: 'error', error: `${method} ${where} is unreachable: ${redact(cause.code ?? cause.message ?? 'network error', job)}`, transient: true };
      // No network cause: the request itself could not be made, and will not be next time either.
      return { status: 'error', error: `${method} ${where} could not be sent: ${redact((error as Error).message, job)}`, transient: false };
    } finally {
      this.options.timers.clearTimeout(timer);
      signal.removeEventListener('abort', relay);
    }
  }

  private request(job: JobOfType<'webhook'>, run: RunContext): { url: string; headers: Headers; body?: string } {
    const { method, body: template, headers: configured } = job.payload;
    // fetch refuses user info in a URL: send it as Basic authentication, as curl does.
    const target = new URL(job.payload.url);
    const basic = target.username !== '' || target.password !== '' ? Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64') : undefined;
    target.username = '';
    target.password = '';
    const scheduledAt = new Date(run.scheduledAt).toISOString();
    const values: TemplateValues = {
      'job.id': job.id,
      'job.type': job.type,
      'run.id': run.id,
      'run.kind': run.kind,
      'run.attempt': String(run.attempt),
      'run.scheduled_at': scheduledAt,
      'run.scheduled_at_ms': String(run.scheduledAt),
      now: new Date(this.options.clock.now()).toISOString(),
    };
    const sendsBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const body =
      template !== undefined
        ? renderTemplate(template, values)
        : sendsBody
          ? JSON.stringify({ job_id: job.id, run_id: run.id, kind: run.kind, scheduled_at: scheduledAt, attempt: run.attempt })
          : undefined;
    const headers = new Headers({
      'user-agent': 'nexus-cron/0.1',
      // The same on every retry of a run, so a receiver can drop a duplicate delivery.
      'idempotency-key': run.id,
      'x-nexus-cron-job': job.id,
      'x-nexus-cron-scheduled-at': scheduledAt,
    });
    if (body !== undefined) headers.set('content-type', looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8');
    if (basic !== undefined) headers.set('authorization', `Basic ${basic}`);
    for (const [name, value] of Object.entries(configured)) headers.set(name, value);
    return body !== undefined ? { url: target.toString(), headers, body } : { url: target.toString(), headers };
  }
}

/**
 * A message from the HTTP stack with everything secret taken out: the URL as configured (with
 * its query and user info), its query values, its password and the header values.
 */
function redact(message: string, job: JobOfType<'webhook'>): string {
  const url = new URL(job.payload.url);
  const secrets = [job.payload.url, url.toString(), url.password, decodeURIComponent(url.password), ...url.searchParams.values(), ...Object.values(job.payload.headers)].filter((s) => s.length >= 3);
  let text = message;
  for (const secret of secrets.sort((a, b) => b.length - a.length)) text = text.split(secret).join('***');
  return text;
}

/** Origin and path only: a query string or user info may carry a token. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The start of the response body, without reading the rest. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES);
  return new TextDecoder().decode(bytes).trim();
}
