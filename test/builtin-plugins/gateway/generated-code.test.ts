import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const committed = join(root, 'src/builtin-plugins/gateway/generated');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('generated gRPC code', () => {
  it('matches what npm run gen produces from schemas/proto (run `npm run gen` and commit if this fails)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'nexus-gen-'));
    temps.push(fresh);
    execFileSync(process.execPath, [join(root, 'scripts/gen-proto.mjs'), '--out', fresh], { cwd: root, stdio: 'pipe' });

    expect(files(committed)).toEqual(files(fresh));
    for (const file of files(fresh)) {
      expect(readFileSync(join(committed, file), 'utf8'), `${file} is stale`).toBe(readFileSync(join(fresh, file), 'utf8'));
    }
  });

  it('describes every nexus.v1 service and the standard ones for reflection', async () => {
    const { FILE_DESCRIPTOR_PROTOS } = await import('../../../src/builtin-plugins/gateway/generated/file-descriptors.js');
    const text = FILE_DESCRIPTOR_PROTOS.map((b64) => Buffer.from(b64, 'base64').toString('latin1')).join('\n');
    for (const name of ['NexusGateway', 'SessionService', 'AgentService', 'ChannelService', 'HealthService', 'ServerReflection', 'Health']) {
      expect(text).toContain(name);
    }
  });
});
