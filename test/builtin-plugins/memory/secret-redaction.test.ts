import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/builtin-plugins/memory/daily-log/index.js';

describe('redacting secrets', () => {
  const secrets: readonly [string, string][] = [
    ['an OpenAI project key', 'use sk-proj-Abc123def456ghi789jkl012mno please'],
    ['an Anthropic key', 'ANTHROPIC sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123'],
    ['a bearer token', 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9abc"'],
    ['a lowercase bearer token', 'header: bearer abcdefghijklmnop0123456789'],
    ['a password= value', 'login with user=ana password=hunter22 now'],
    ['a quoted JSON secret', '{"client_secret": "s3cr3t-value-here", "name": "x"}'],
    ['an env-style token', 'export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a bare GitHub token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked'],
    ['a Slack bot token', 'slack xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx'],
    ['an AWS access key id', 'aws AKIAIOSFODNN7EXAMPLE key'],
    ['a Google API key', 'maps AIzaSyA-1234567890abcdefghijklmnopqrstu key'],
    ['a Telegram bot token', 'bot 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0 ok'],
    ['a JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['a URL password', 'db postgres://nexus:s3cretpw@db.local:5432/nexus'],
    ['a Stripe key', 'stripe sk_live_abcdefghijklmnop1234'],
  ];
  for (const [what, text] of secrets) {
    it(`takes out ${what}`, () => {
      const redacted = redactSecrets(text);
      expect(redacted).toContain('[redacted]');
      const secret = /(sk-[\w-]+|eyJ[\w.-]+|hunter22|s3cr3t-value-here|ghp_\w+|xoxb-[\w-]+|AKIA\w+|AIza[\w-]+|\d+:AA[\w-]+|s3cretpw|sk_live_\w+|abcdefghijklmnop0123456789)/.exec(text)![1]!;
      expect(redacted).not.toContain(secret);
    });
  }

  it('takes out a private key block whole', () => {
    const text = 'key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAA\n-----END OPENSSH PRIVATE KEY-----\ndone';
    expect(redactSecrets(text)).toBe('key:\n[redacted] private key\ndone');
  });

  it('keeps the user of a URL and everything that is not a secret', () => {
    expect(redactSecrets('postgres://nexus:pw1234@db/x')).toBe('postgres://nexus:[redacted]@db/x');
    const plain = 'Ana prefers tea. The meeting is at 15:30 on 2026-03-15; call +49 30 1234567. Ticket ABC-1234, see https://example.com/a?b=c.';
    expect(redactSecrets(plain)).toBe(plain);
  });
});
