import type { DoctorCheck, DoctorFinding } from '@nexus/plugin-sdk';
import type { DeadLetterFile } from './dead-letters.js';
import { probeCallbacks } from './webhook-health.js';
import type { WebhookSettings } from './webhook-settings.js';

const MIN_SECRET_BYTES = 32;
const SECRET_HINT = 'generate one with `openssl rand -hex 32` and share it with the integrator';

/** Whether a host name is this machine, where plain HTTP never crosses a network. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** `webhook-policy`: account settings that are unsafe or cannot work. */
export function policyCheck(settings: WebhookSettings): DoctorCheck {
  return {
    id: 'webhook-policy',
    description: 'Webhook accounts have strong secrets and HTTPS callbacks.',
    async run() {
      const findings: DoctorFinding[] = [];
      const accounts = Object.entries(settings.accounts).sort(([a], [b]) => a.localeCompare(b));
      if (accounts.length === 0) return [{ level: 'info', message: 'no webhook accounts are configured' }];
      for (const [id, account] of accounts) {
        const at = `channels.webhook.accounts.${id}`;
        if (!account.secret) {
          findings.push({ level: 'error', message: `${at} has no secret: every request to /channels/webhook/${id} is refused and no reply can be signed`, hint: `set ${at}.secret; ${SECRET_HINT}` });
        } else if (Buffer.byteLength(account.secret, 'utf8') < MIN_SECRET_BYTES) {
          findings.push({ level: 'warning', message: `${at}.secret is ${Buffer.byteLength(account.secret, 'utf8')} bytes; at least ${MIN_SECRET_BYTES} resist guessing`, hint: SECRET_HINT });
        }
        if (!account.callback_url) {
          findings.push({ level: 'warning', message: `${at} has no callback_url: replies to it cannot be delivered and go to the dead-letter file`, hint: `set ${at}.callback_url` });
          continue;
        }
        const url = new URL(account.callback_url);
        if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
          findings.push({ level: 'warning', message: `${at}.callback_url sends replies in clear text to ${url.host}`, hint: 'use an https:// URL (plain http is fine only on loopback)' });
        }
      }
      if (findings.length === 0) findings.push({ level: 'info', message: `${accounts.length} account(s): secrets set and long enough, callbacks on HTTPS or loopback` });
      return findings;
    },
  };
}

/** `webhook-probe`: undelivered replies on record, and with --probe, whether each callback URL answers. */
export function probeCheck(settings: WebhookSettings, deadLetters: DeadLetterFile): DoctorCheck {
  return {
    id: 'webhook-probe',
    description: 'Webhook callback URLs answer, and no replies wait in the dead-letter file.',
    async run(ctx) {
      const findings: DoctorFinding[] = [];
      const undelivered = await deadLetters.countInFile().catch((error: Error) => {
        findings.push({ level: 'warning', message: `cannot read the dead-letter file ${deadLetters.path}: ${error.message}` });
        return 0;
      });
      if (undelivered > 0) {
        findings.push({ level: 'warning', message: `${undelivered} undelivered webhook repl${undelivered === 1 ? 'y is' : 'ies are'} recorded in ${deadLetters.path}`, hint: 'each line holds the payload; re-send it to the integrator, then remove the line' });
      }
      if (Object.keys(settings.accounts).length === 0) return [...findings, { level: 'info', message: 'no webhook accounts are configured' }];
      if (!ctx.probe) return [...findings, { level: 'info', message: 'callback URLs not contacted (run doctor with --probe)' }];
      for (const result of await probeCallbacks(settings, ctx.signal)) {
        if (result.reachable) findings.push({ level: 'info', message: result.message });
        else if (!result.url) findings.push({ level: 'warning', message: result.message });
        else findings.push({ level: 'error', message: result.message, hint: 'check that the receiver runs and that this host can reach it' });
      }
      return findings;
    },
  };
}
