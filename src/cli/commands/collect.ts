/** `earshot fetch <source> <query>` and `earshot audit [brand]`: flags → plan → run (src/audit/) → render → write. */
import { gatherAudit, fetchBatches, nothingFetched, reportAudit } from '../../audit/run.js';
import { withSourceId } from '../../audit/gather.js';
import { openSession } from '../../audit/session.js';
import { EarshotError, EXIT, UsageError, withContext } from '../../core/errors.js';
import { SOURCES } from '../../sources/index.js';
import { pickSources } from '../../audit/plan.js';
import { parseFields } from '../../report/fields.js';
import { emitReport } from '../emit.js';
import { finishRun } from '../finish.js';
import { previousReport, type Settings } from '../resolve.js';
import { readHistory } from '../history.js';
import { openSink } from '../io.js';
import type { CliDeps } from '../main.js';
import { commonSettings, outputChoices, type CommonSettings } from '../settings.js';
import { auditBrands, auditSources, planFromSettings, sessionFromSettings } from '../audit-plan.js';

/** Runs `fetch`: one source, Mentions as NDJSON as they arrive. */
export async function runFetch(sourceId: string, query: string, s: Settings, deps: CliDeps): Promise<number> {
  const common = commonSettings(s, { ...deps, stdout: { ...deps.stdout, isTTY: false } as CliDeps['stdout'] }, 'ndjson');
  const source = pickSources(sourceId)[0]!;
  const plan = planFromSettings(s, [{ name: query, query, handles: {} }], [source]);
  const session = await openSession(sessionFromSettings(s, plan, deps, common.log));
  const sink = await openSink(s.output, deps.stdout);
  const stop = onInterrupt(session.abort, common);
  let count = 0;
  try {
    const batches = fetchBatches(plan, plan.sources[0]!, { http: session.http, now: session.now, log: common.log, signal: session.abort.signal, env: deps.env });
    try {
      for await (const batch of batches) {
        for (const w of batch.warnings) common.log.warn(withSourceId(source.id, w));
        for (const m of batch.mentions) {
          await sink.write(`${JSON.stringify(m)}\n`);
          count += 1;
        }
        if (session.abort.signal.aborted) break;
      }
    } catch (err) {
      if (count === 0) throw err;
      common.log.warn(`${withSourceId(source.id, err instanceof Error ? err.message : String(err))} (kept the ${count} mentions fetched before the failure)`);
    }
    await sink.commit();
    common.log.info(`${source.id}: ${count} mentions.`);
    common.log.finish();
    return EXIT.ok;
  } catch (err) {
    await sink.abort();
    throw err instanceof EarshotError && err.code !== 'usage' && err.code !== 'config' ? withContext(err, source.id) : err;
  } finally {
    stop();
    await session.close();
  }
}

/** Registered source ids (the config loader checks names against them). */
export function sourceIds(): string[] {
  return Object.keys(SOURCES);
}

/** Runs `audit`: plans from the settings, gathers and analyses in src/audit/, renders as it goes, writes, exits. */
export async function runAudit(s: Settings, deps: CliDeps): Promise<number> {
  const common = commonSettings(s, deps, s.format);
  for (const w of s.configWarnings) common.log.warn(w);
  const out = outputChoices(s, deps, common);
  const fields = s.fields !== undefined ? parseFields(s.fields, out.format) : undefined;
  const sources = auditSources(s);
  const brand = s.brand;
  if (!brand) throw new UsageError('Name the brand to audit: earshot audit "acme cloud" --source reddit,hn (or set brand: in earshot.yml; earshot init writes one).');
  const brands = auditBrands(brand, s);
  const previous = await previousReport(s, common.log);
  const history = s.history !== undefined ? await readHistory(s.history, common.log) : undefined;
  const plan = planFromSettings(s, brands, sources, { unansweredLimit: Math.max(out.top, 50), ...(previous ? { previous } : {}), ...(history ? { history } : {}) });
  const session = await openSession(sessionFromSettings(s, plan, deps, common.log));
  const stop = onInterrupt(session.abort, common);
  try {
    const progress = createProgress(common, deps);
    let gathered;
    try {
      gathered = await gatherAudit(plan, { http: session.http, now: session.now, log: common.log, warnings: common.log.warnings, signal: session.abort.signal, env: deps.env, onProgress: progress.update });
    } finally {
      progress.done();
    }
    const { coverage, mentions } = gathered.result;
    // Each failure was told once as a warning; --quiet hides warnings, but a cron job must still see a broken source.
    if (common.quiet) {
      for (const c of coverage.filter((r) => (r.status === 'failed' || r.status === 'partial') && r.error && r.error.code !== 'interrupted')) {
        const kept = c.status === 'partial' ? ` (kept ${c.mentions} mentions fetched before the failure)` : '';
        common.log.always(`earshot: ${c.source}${c.brand !== undefined ? ` (${c.brand})` : ''} failed: ${c.error!.message}${kept}`);
      }
    }
    // The core reports every source failing as coverage; for the CLI that is exit 3, with nothing written.
    if (nothingFetched(coverage, mentions.length)) {
      const each = [...new Set(coverage.map((c) => `${c.source} ${c.status === 'skipped' ? 'skipped' : 'failed'} (${c.error?.code ?? 'no reason'})`))];
      throw new EarshotError('unavailable', `Nothing could be fetched: every source failed or was skipped (${each.join(', ')}); nothing was written.`);
    }
    const sink = await openSink(s.output, deps.stdout);
    let report;
    try {
      report = await reportAudit(gathered, { warnings: common.log.warnings }, (m, analysis, context) =>
        emitReport(m, analysis, context, { ...out, ...(fields ? { fields } : {}), keepMentions: s.out !== undefined, warn: (w) => common.log.warn(w) }, sink),
      );
      await sink.commit();
    } catch (err) {
      await sink.abort();
      throw err;
    }
    return await finishRun(report, s, common, deps.stderr, out);
  } finally {
    stop();
    await session.close();
  }
}

/** First Ctrl-C stops fetching and keeps what was fetched; a second one exits at once. */
function onInterrupt(abort: AbortController, common: CommonSettings): () => void {
  const handler = (): void => {
    if (abort.signal.aborted) process.exit(130);
    common.log.warn('Interrupted: finishing with what was fetched so far (Ctrl-C again to quit now).');
    abort.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** The progress line's text for these per-source counts, never wider than the terminal (`columns`, default 80). */
export function progressLine(counts: ReadonlyMap<string, number>, columns: number | undefined): string {
  // One column short of the width: a line that fills it exactly wraps on some terminals, and \r then clears only the wrap.
  const width = Math.max(1, (columns || 80) - 1);
  const text = [...counts].map(([s, c]) => `${s} ${c}`).join(' · ');
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** A one-line progress display on stderr, only on a TTY: cleared before any message, never wider than the terminal. */
function createProgress(common: CommonSettings, deps: CliDeps) {
  const counts = new Map<string, number>();
  let shown = false;
  const clear = (): void => {
    if (!shown) return;
    deps.stderr.write('\r\u001b[2K');
    shown = false;
  };
  if (common.progress) common.log.holdLine(clear);
  return {
    update(source: string, n: number) {
      counts.set(source, n);
      if (!common.progress) return;
      deps.stderr.write(`\r\u001b[2K${progressLine(counts, deps.stderr.columns)}`);
      shown = true;
    },
    done() {
      clear();
      common.log.holdLine(undefined);
    },
  };
}
