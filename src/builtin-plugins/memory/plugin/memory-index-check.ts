import type { DoctorCheck, DoctorFinding } from '@nexus/plugin-sdk';
import { MemoryConfigError } from '../config/index.js';
import type { MemoryHost } from './memory-host.js';

/**
 * `nexus doctor`: the memory index agrees with itself (vectors, sqlite-vec rows and chunks in
 * step: the peer's "1 vector row for thousands of chunks"), and vector search is not paused by
 * an embedding model change waiting for `nexus memory index --force`.
 */
export class MemoryIndexCheck implements DoctorCheck {
  readonly id = 'memory-index';
  readonly description = 'The memory index is in step with itself and vector search is not paused.';

  constructor(private readonly host: MemoryHost) {}

  async run(): Promise<readonly DoctorFinding[]> {
    let stats;
    try {
      stats = await (await this.host.engine()).stats();
    } catch (error) {
      if (error instanceof MemoryConfigError) return [{ level: 'error', message: error.message, hint: error.hint }];
      return [{ level: 'error', message: `cannot open the memory index: ${(error as Error).message}`, hint: 'run `nexus migrate up` if the memory tables are missing, then `nexus memory status`' }];
    }
    const findings: DoctorFinding[] = stats.mismatches.map((m) => ({
      level: m.kind === 'vec-rows' ? 'error' : 'warning',
      message: m.message,
      hint: m.kind === 'vec-rows' ? 'run `nexus memory index --force` to rebuild the vector table' : 'run `nexus memory index` to embed the rest',
    }));
    if (stats.embedder.paused) findings.push({ level: 'warning', message: `vector search is paused: ${stats.embedder.paused}`, hint: 'run `nexus memory index --force` to re-embed every chunk with the configured model' });
    if (stats.embedder.last_error) findings.push({ level: 'warning', message: `the embeddings endpoint failed: ${stats.embedder.last_error}; search answers lexically meanwhile`, hint: 'check memory.embeddings (base_url, api_key, model)' });
    if (findings.length === 0) findings.push({ level: 'info', message: `${stats.files} files, ${stats.chunks} chunks, ${stats.vectors} vectors (${stats.vector_backend}); search modes: ${stats.modes.join(', ')}` });
    return findings;
  }
}
