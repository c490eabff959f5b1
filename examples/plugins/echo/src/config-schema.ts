import type { ConfigFromSchema, ConfigSchema } from '@nexus/plugin-sdk';

/** The manifest's `configSchema`, as a literal the compiler can read (a test keeps the two equal). */
export const echoConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    prefix: { type: 'string', default: '', maxLength: 200, description: 'Text put before every echo.' },
  },
} as const satisfies ConfigSchema;

/** `plugins.entries.echo.config`, defaults applied: `{ readonly prefix: string }`. */
export type EchoConfig = ConfigFromSchema<typeof echoConfigSchema>;
