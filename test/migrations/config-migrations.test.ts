import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../src/kernel/index.js';
import { applyMigrations, CURRENT_CONFIG_VERSION, MigrationError, planMigrations } from '../../src/kernel/migrations/index.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';

const GO_CONFIG = `# Nexus configuration, carried over from the Go version.

server:
  host: 0.0.0.0     # every interface
  grpc_port: 50051

# Plugins and their tools
plugins:
  load:
    paths: [./plugins]
  # isolated code execution
  sandbox:
    enabled: true
    pool_size: 2
  browser:
    headless: true
  websearch:
    provider: searxng
    url: http://127.0.0.1:8888
  entries:
    echo:
      enabled: true
      path: ./echo
      config:
        greeting: hi

# Tracing went to Jaeger
observability:
  tracing: true

vector_memory:
  enabled: false
logging:
  level: info
`;

const MIGRATED = `# Nexus configuration, carried over from the Go version.

version: 1
server:
  host: 0.0.0.0     # every interface
  grpc_port: 50051

# Plugins and their tools
plugins:
  load:
    paths: [./plugins]
  entries:
    echo:
      enabled: true
      path: ./echo
      config:
        greeting: hi
tools:
  # isolated code execution
  sandbox:
    enabled: true
    pool_size: 2
  browser:
    headless: true
  websearch:
    provider: searxng
    url: http://127.0.0.1:8888

vector_memory:
  enabled: false
logging:
  level: info
`;

describe('config migrations', () => {
  it('migrates a Go config to version 1, keeping comments, spacing and key order outside what moves', () => {
    const plan = planMigrations(GO_CONFIG, '/etc/nexus/nexus.yaml');
    expect(plan).toMatchObject({ fromVersion: 0, toVersion: 1, pending: true, conflicts: [], before: GO_CONFIG });
    expect(plan.after).toBe(MIGRATED);
    expect(plan.changes.map((c) => [c.kind, c.pointer, c.line])).toEqual([
      ['moved', '/plugins/sandbox', 12],
      ['moved', '/plugins/browser', 15],
      ['moved', '/plugins/websearch', 17],
      ['dropped', '/observability', 28],
      ['note', '/vector_memory', 31],
      ['set', '/version', undefined],
    ]);
    expect(plan.changes.find((c) => c.kind === 'note')?.description).toContain('no plugin owns it');
  });

  it('plans the same migration again from its own output as nothing to do', () => {
    const again = planMigrations(planMigrations(GO_CONFIG, 'nexus.yaml').after, 'nexus.yaml');
    expect(again).toMatchObject({ fromVersion: 1, pending: false, changes: [] });
    expect(again.after).toBe(again.before);
  });

  it('keeps a comment at the top of the file above the new version line and drops an emptied plugins section', () => {
    const plan = planMigrations('# Tools I use\nplugins:\n  websearch:\n    provider: brave\n', 'nexus.yaml');
    expect(plan.after).toBe('# Tools I use\nversion: 1\ntools:\n  websearch:\n    provider: brave\n');
    expect(plan.changes.map((c) => c.description)).toEqual(['moved plugins.websearch to tools.websearch', 'removed plugins, which held nothing else', 'set version: 1']);
  });

  it('adds to an existing tools section instead of creating a second one', () => {
    const plan = planMigrations('tools:\n  notes: be brief\nplugins:\n  browser:\n    headless: false\n  enabled: true\n', 'nexus.yaml');
    expect(plan.after).toBe('version: 1\ntools:\n  notes: be brief\n  browser:\n    headless: false\nplugins:\n  enabled: true\n');
  });

  it('reports a conflict instead of overwriting an existing tools.websearch, and refuses to write the file', () => {
    const dir = tempDir();
    const text = 'plugins:\n  websearch:\n    provider: brave\n  sandbox:\n    enabled: true\ntools:\n  websearch:\n    provider: searxng\n';
    const path = writeFile(join(dir, 'nexus.yaml'), text);

    const plan = planMigrations(text, path);
    expect(plan.conflicts).toEqual([
      expect.objectContaining({ kind: 'conflict', pointer: '/plugins/websearch', to: '/tools/websearch', line: 2, column: 3 }),
    ]);
    expect(plan.conflicts[0]!.description).toBe('plugins.websearch and tools.websearch both exist; tools.websearch is not overwritten');
    // The preview still leaves both values in place.
    expect(plan.after).toContain('  websearch:\n    provider: brave');
    expect(plan.after).toContain('  websearch:\n    provider: searxng');

    let thrown: unknown;
    try {
      applyMigrations(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MigrationError);
    expect((thrown as MigrationError).diagnostics).toEqual([
      expect.objectContaining({ code: 'config.migration-conflict', source: { file: path, line: 2, column: 3, pointer: '/plugins/websearch' } }),
    ]);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('rejects a file written by a newer Nexus, pointing at its version line', () => {
    const text = '# future\nversion: 2\nplugins: {}\n';
    expect(() => planMigrations(text, '/srv/nexus.yaml')).toThrow(MigrationError);
    try {
      planMigrations(text, '/srv/nexus.yaml');
    } catch (error) {
      const [diagnostic] = (error as MigrationError).diagnostics;
      expect(diagnostic).toMatchObject({ code: 'config.version-newer', source: { file: '/srv/nexus.yaml', line: 2, column: 10, pointer: '/version' } });
      expect(diagnostic!.message).toBe('/srv/nexus.yaml was written by a newer Nexus (config version 2; this Nexus reads up to version 1)');
    }
  });

  it('rejects a version that is not a whole number', () => {
    expect(() => planMigrations('version: "one"\n', 'nexus.yaml')).toThrow(/version must be a whole number from 0 to 1/);
  });

  it('passes YAML syntax errors on with their position', () => {
    try {
      planMigrations('plugins:\n  sandbox: [1, 2\n', 'bad.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFileError);
      expect((error as ConfigFileError).diagnostics[0]!.source).toMatchObject({ file: 'bad.yaml', line: expect.any(Number) });
    }
  });

  it('takes a file without version and without Go-era keys as current, and leaves it alone', () => {
    const dir = tempDir();
    const text = '# mine\nplugins:\n  entries:\n    echo: {enabled: true}\nvector_memory:\n  enabled: true\n';
    const path = writeFile(join(dir, 'nexus.yaml'), text);
    const modified = statSync(path).mtimeMs;

    expect(planMigrations(text, path)).toMatchObject({ fromVersion: CURRENT_CONFIG_VERSION, toVersion: CURRENT_CONFIG_VERSION, pending: false, changes: [], after: text });
    expect(applyMigrations(path)).toMatchObject({ written: false });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(statSync(path).mtimeMs).toBe(modified);
    expect(readdirSync(dir)).toEqual(['nexus.yaml']);
  });

  it('leaves a file at the current version alone even when it holds Go-era keys', () => {
    const text = 'version: 1\nobservability:\n  tracing: true\n';
    expect(planMigrations(text, 'nexus.yaml')).toMatchObject({ fromVersion: 1, pending: false, after: text });
  });

  it('moves an explicit version 0 to 1 in place, even with nothing else to migrate', () => {
    expect(planMigrations('logging:\n  level: debug\nversion: 0\n', 'nexus.yaml').after).toBe('version: 1\nlogging:\n  level: debug\n');
  });

  it('applies atomically: the file becomes the plan, the old text is kept as .bak, no temp file remains', () => {
    const dir = tempDir();
    const path = writeFile(join(dir, 'nexus.yaml'), GO_CONFIG);
    const applied = applyMigrations(path);
    expect(applied).toMatchObject({ written: true, backupPath: `${path}.bak`, fromVersion: 0, toVersion: 1 });
    expect(readFileSync(path, 'utf8')).toBe(MIGRATED);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(GO_CONFIG);
    expect(readdirSync(dir).sort()).toEqual(['nexus.yaml', 'nexus.yaml.bak']);
    expect(applyMigrations(path)).toMatchObject({ written: false, pending: false });
  });
});
