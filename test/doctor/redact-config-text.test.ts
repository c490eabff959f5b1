import { describe, expect, it } from 'vitest';
import { redactConfigText } from '../../src/kernel/doctor/index.js';

describe('redacting config text for doctor output', () => {
  it('masks values of credential keys, keeping keys, comments and other values', () => {
    const text = [
      'auth:',
      '  jwt_secret: "0123456789abcdef0123456789abcdef"  # rotate yearly',
      '  token_expiry: 24h',
      'channels:',
      '  telegram:',
      '    bot_token: 123:abc',
      '  slack: {bot_token: xoxb-1, app_token: "xapp-2", enabled: true}',
      'llm:',
      '  providers:',
      '    anthropic:',
      '      apiKey: sk-ant-1',
      '      api_key: ${ANTHROPIC_API_KEY}',
      '    openai: {api_key: "${OPENAI_KEY:-sk-default}"}',
    ].join('\n');
    expect(redactConfigText(text)).toBe(
      [
        'auth:',
        '  jwt_secret: <redacted>  # rotate yearly',
        '  token_expiry: 24h',
        'channels:',
        '  telegram:',
        '    bot_token: <redacted>',
        '  slack: {bot_token: <redacted>, app_token: <redacted>, enabled: true}',
        'llm:',
        '  providers:',
        '    anthropic:',
        '      apiKey: <redacted>',
        '      api_key: ${ANTHROPIC_API_KEY}',
        '    openai: {api_key: <redacted>}',
      ].join('\n'),
    );
  });

  it('masks passwords inside URLs and every line of a block scalar under a credential key', () => {
    const text = 'database:\n  url: postgres://nexus:hunter2@db:5432/nexus\nauth:\n  private_key: |\n    -----BEGIN KEY-----\n    abc\n  issuer: me\n';
    expect(redactConfigText(text)).toBe(
      'database:\n  url: postgres://nexus:<redacted>@db:5432/nexus\nauth:\n  private_key: |\n    <redacted>\n    <redacted>\n  issuer: me\n',
    );
  });
});
