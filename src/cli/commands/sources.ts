/** `earshot sources`: what each source needs, its polite rate limit, and its brand-reply signal. */
import Table from 'cli-table3';
import { UsageError } from '../../core/errors.js';
import { SOURCES } from '../../sources/index.js';
import type { CliDeps } from '../main.js';

/** Prints the source list (table, or json/ndjson/csv for scripts). */
export async function runSources(o: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const rows = Object.values(SOURCES).map((s) => ({
    id: s.id,
    title: s.title,
    needs: s.needs,
    tokenEnv: [...s.tokenEnv],
    requestsPerMinute: s.rateLimit.requestsPerMinute,
    concurrency: s.rateLimit.concurrency,
    brandReplySignal: s.brandReplySignal,
    defaultBaseUrl: s.defaultBaseUrl,
    route: s.route ? s.route(deps.env) : '',
  }));
  const format = (o.format as string | undefined) ?? 'table';
  // The list has no report to lay out as a page: a silently ignored -f html would print a table where HTML was asked for.
  if (format === 'html') throw new UsageError('earshot sources has no html format; use -f table, csv, json or ndjson.');
  if (format === 'json') deps.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (format === 'ndjson') deps.stdout.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else if (format === 'csv') {
    const { stringify } = await import('csv-stringify/sync');
    deps.stdout.write(stringify(rows.map((r) => ({ ...r, tokenEnv: r.tokenEnv.join(' ') })), { header: true, record_delimiter: '\n' }));
  } else {
    const width = Math.min(deps.stdout.columns || 80, 120);
    const t = new Table({ head: ['Source', 'Needs / tokens', 'Rate', 'Brand reply when'], style: { head: [], border: [] }, colWidths: [12, Math.floor((width - 30) / 2), 9, Math.ceil((width - 30) / 2)], wordWrap: true });
    for (const r of rows) {
      const route = r.route !== '' ? `\nnow: ${r.route}` : '';
      t.push([r.id, `${r.needs}${r.tokenEnv.length ? `\nenv: ${r.tokenEnv.join(', ')}` : ''}${route}`, `${r.requestsPerMinute}/min`, r.brandReplySignal]);
    }
    deps.stdout.write(`${t.toString()}\n`);
  }
  return 0;
}
