import { CliUsageError, type CliCommand, type CliCommandContext } from '@nexus/plugin-sdk';
import { MemoryConfigError, type SearchMode } from '../config/index.js';
import type { IndexReport } from '../indexer/index.js';
import { OPERATOR_ACCESS, type MemoryStats } from '../operations/index.js';
import { MemoryPathError } from '../paths/index.js';
import { FlushLedger, type FlushSummary } from './flush-ledger.js';
import { IndexProgressBar } from './index-progress.js';
import type { MemoryHost } from './memory-host.js';

/**
 * `nexus memory search|get|index|stats|status`: the operator's view of memory. The operator is
 * private (MEMORY.md included). Search brings the index up to date first, as the tool does.
 */
export class MemoryCommand implements CliCommand {
  readonly name = 'memory';

  constructor(private readonly host: MemoryHost) {}

  async run(ctx: CliCommandContext): Promise<number> {
    try {
      return await this.dispatch(ctx);
    } catch (error) {
      // What the operator asked cannot be done (a refused path, a bad setting): say so, exit 1.
      if (error instanceof MemoryPathError || error instanceof MemoryConfigError || error instanceof TypeError) {
        ctx.stderr(`nexus memory ${ctx.subcommand}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  }

  private dispatch(ctx: CliCommandContext): Promise<number> {
    switch (ctx.subcommand) {
      case 'search':
        return this.search(ctx);
      case 'get':
        return this.get(ctx);
      case 'index':
        return this.index(ctx);
      case 'stats':
        return this.stats(ctx);
      case 'status':
        return this.status(ctx);
      default:
        throw new CliUsageError(`unknown sub-command "${ctx.subcommand}": use search, get, index, stats or status`);
    }
  }

  private async search(ctx: CliCommandContext): Promise<number> {
    const words = ctx.args.query;
    const query = (Array.isArray(words) ? words.join(' ') : String(words ?? '')).trim();
    if (query === '') throw new CliUsageError('search needs words to look for: nexus memory search <query>');
    const engine = await this.host.engine();
    const response = await engine.search(
      { query, ...(ctx.options.limit !== undefined ? { max_results: Number(ctx.options.limit) } : {}), ...(ctx.options.mode ? { mode: ctx.options.mode as SearchMode } : {}) },
      OPERATOR_ACCESS,
      ctx.signal,
    );
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ mode: response.mode, ...(response.fallback ? { fallback: response.fallback } : {}), results: response.results.map((r) => ({ path: r.path, start_line: r.start_line, end_line: r.end_line, score: r.score, snippet: r.snippet })) })}\n`);
      return 0;
    }
    const lines = [`mode: ${response.mode}${response.fallback ? ` (asked for ${response.fallback.from}: ${response.fallback.reason})` : ''}`];
    for (const note of response.notes ?? []) lines.push(`note: ${note}`);
    if (response.results.length === 0) lines.push('no results');
    for (const hit of response.results) lines.push('', `${hit.path}:${hit.start_line}-${hit.end_line}  score ${hit.score.toFixed(3)}`, indent(hit.snippet));
    ctx.stdout(`${lines.join('\n')}\n`);
    return 0;
  }

  private async get(ctx: CliCommandContext): Promise<number> {
    const engine = await this.host.engine();
    const result = await engine.get({ path: String(ctx.args.path), ...(ctx.options.from !== undefined ? { from: Number(ctx.options.from) } : {}), ...(ctx.options.lines !== undefined ? { lines: Number(ctx.options.lines) } : {}) }, OPERATOR_ACCESS);
    if (ctx.options.json) ctx.stdout(`${JSON.stringify(result)}\n`);
    else ctx.stdout(`${result.text}${result.text.endsWith('\n') || result.text === '' ? '' : '\n'}${result.next_from !== undefined ? `[… continues at line ${result.next_from}: --from ${result.next_from}]\n` : ''}`);
    return 0;
  }

  private async index(ctx: CliCommandContext): Promise<number> {
    const engine = await this.host.engine();
    const bar = new IndexProgressBar(ctx.stderr, process.stderr.isTTY === true && !ctx.options.json);
    let report: IndexReport;
    try {
      report = await engine.index({ force: ctx.options.force === true, signal: ctx.signal, onProgress: (p) => bar.update(p) });
    } finally {
      bar.finish();
    }
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const f = report.files;
    const lines = [
      `indexed ${f.total} file${f.total === 1 ? '' : 's'} in ${Math.round(report.durationMs)} ms: ${f.changed} changed, ${f.unchanged} unchanged, ${f.removed} removed`,
      `chunks: ${report.chunks.added} added, ${report.chunks.kept} kept, ${report.chunks.removed} removed; vectors: ${report.vectors.embedded} embedded, ${report.vectors.missing} missing`,
      ...report.skipped.map((s) => `skipped ${s.path}: ${s.reason}`),
      ...(report.embeddingProblem ? [`embeddings: ${report.embeddingProblem}`] : []),
      ...(report.repaired ? [`repaired: ${report.repaired}`] : []),
    ];
    ctx.stdout(`${lines.join('\n')}\n`);
    return 0;
  }

  private async stats(ctx: CliCommandContext): Promise<number> {
    const engine = await this.host.engine();
    const stats = await engine.stats();
    const flushes = await new FlushLedger(await this.host.database()).summary();
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ ...stats, flushes })}\n`);
      return 0;
    }
    ctx.stdout(`${renderStats(stats, flushes).join('\n')}\n`);
    return stats.mismatches.length > 0 ? 1 : 0;
  }

  /** The short answer: can memory be searched, in which modes, and is anything wrong. */
  private async status(ctx: CliCommandContext): Promise<number> {
    const engine = await this.host.engine();
    const stats = await engine.stats();
    const problems = [...stats.mismatches.map((m) => m.message), ...(stats.embedder.paused ? [stats.embedder.paused] : []), ...(stats.embedder.last_error ? [`embeddings endpoint: ${stats.embedder.last_error}`] : [])];
    const status = { ok: problems.length === 0, files: stats.files, chunks: stats.chunks, vectors: stats.vectors, modes: stats.modes, vector_backend: stats.vector_backend, problems };
    if (ctx.options.json) ctx.stdout(`${JSON.stringify(status)}\n`);
    else {
      const head = `memory: ${status.ok ? 'ok' : 'needs attention'}; ${stats.files} files, ${stats.chunks} chunks, ${stats.vectors} vectors; search modes: ${stats.modes.join(', ')}`;
      ctx.stdout(`${[head, ...problems.map((p) => `- ${p}`)].join('\n')}\n`);
    }
    return status.ok ? 0 : 1;
  }
}

function renderStats(stats: MemoryStats, flushes: FlushSummary): string[] {
  const e = stats.embedder;
  const lines = [
    `files: ${stats.files}   chunks: ${stats.chunks}   vectors: ${stats.vectors}${stats.vector_rows !== undefined ? `   sqlite-vec rows: ${stats.vector_rows}` : ''}`,
    `vector backend: ${stats.vector_backend}${stats.vector_backend_reason ? ` (${stats.vector_backend_reason})` : ''}`,
    `search modes available: ${stats.modes.join(', ')}`,
    `embedder: ${e.state}${e.model ? ` ${e.provider}/${e.model}${e.dimensions ? ` (${e.dimensions} dims)` : ''}` : ''}${e.requests !== undefined ? `, ${e.requests} requests` : ''}`,
    ...(e.paused ? [`vector search paused: ${e.paused}`] : []),
    ...(e.last_error ? [`last embeddings error: ${e.last_error}`] : []),
    `embedding cache: ${stats.cache.entries} entries, ${stats.cache.hits} hits, ${stats.cache.misses} misses`,
    `searches: ${stats.searches.lexical} lexical, ${stats.searches.vector} vector, ${stats.searches.hybrid} hybrid, ${stats.searches.fallbacks} fell back`,
    `flushes: ${Object.entries(flushes.outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    ...flushes.recent.map((f) => `  ${new Date(f.at).toISOString()} session ${f.session_id} cycle ${f.cycle}: ${f.outcome}, ${f.writes.filter((w) => w.confirmed).length}/${f.writes.length} writes confirmed${f.error ? ` (${f.error})` : ''}`),
    ...stats.mismatches.map((m) => `MISMATCH (${m.kind}): ${m.message}`),
  ];
  return lines;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
