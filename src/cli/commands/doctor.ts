/** `earshot doctor [brand]`: one cheap live probe per configured source, one line each, exit 1 when any is unusable. */
import { doctorLines, runDoctor, type ProbeJob } from '../../audit/doctor.js';
import { planJobs } from '../../audit/plan.js';
import { openSession } from '../../audit/session.js';
import { EXIT, UsageError } from '../../core/errors.js';
import { createBudgetLedger, ledgerFile } from '../../http/index.js';
import { auditBrands, auditSources, planFromSettings, sessionFromSettings } from '../audit-plan.js';
import type { CliDeps } from '../main.js';
import type { Settings } from '../resolve.js';
import { commonSettings } from '../settings.js';
import { terminalStyle } from '../style.js';

/** Probes the sources `audit` would read (from --source or the config) with the brand's query; prints lines or JSON. */
export async function runDoctorCommand(s: Settings, format: string, deps: CliDeps): Promise<number> {
  // A probe is one line per source, not a report: a silently ignored -f csv or html would print lines instead.
  if (format === 'csv' || format === 'html') throw new UsageError(`earshot doctor has no ${format} format; use -f table, json or ndjson.`);
  const common = commonSettings(s, deps, format);
  for (const w of s.configWarnings) common.log.warn(w);
  const brand = s.brand;
  if (!brand) throw new UsageError('Name the brand whose query the sources are probed with: earshot doctor "acme cloud" --source reddit,hn (or set brand: in earshot.yml; earshot init writes one).');
  // Competitors are left out: one query per source is enough to tell whether it answers.
  const plan = planFromSettings(s, auditBrands(brand, s).slice(0, 1), auditSources(s));
  // Live, once: no cached answers (an old one says nothing about today), no retries (a 429 is reported, not waited
  // out); but the request budgets of the cache folder are kept, so a probe counts and a remembered 429 shows.
  const live = sessionFromSettings({ ...s, fromRaw: undefined, saveRaw: undefined }, plan, deps, common.log);
  const budgets = createBudgetLedger(live.cache ? ledgerFile(live.cache.dir) : undefined, common.log);
  const session = await openSession({ ...live, cache: false, maxAttempts: 1, budgets });
  try {
    const now = plan.now ?? session.now;
    // One job per source: the first alternative of the query (a query `a OR b` is asked for `a`).
    const jobs: ProbeJob[] = [];
    for (const job of planJobs(plan, now).jobs) if (!jobs.some((j) => j.source.id === job.source.id)) jobs.push({ source: job.source, baseUrl: job.baseUrl, query: job.query, written: plan.brands[0]!.query });
    const report = await runDoctor(jobs, { http: session.http, budgets, log: common.log, signal: session.abort.signal, env: deps.env, now, ...(plan.sourceBudgetMs !== undefined ? { budgetMs: plan.sourceBudgetMs } : {}) });
    if (format === 'json' || format === 'ndjson') deps.stdout.write(`${JSON.stringify(report, null, format === 'json' ? 2 : undefined)}\n`);
    else deps.stdout.write(doctorLines(report, terminalStyle(common.color)));
    return report.usable ? EXIT.ok : EXIT.threshold;
  } finally {
    await session.close();
  }
}
