/** The one path from mentions to a Report, shared by `analyze`, `audit` and the library: analyse, summarise, compare, check. */
import type { Mention } from '../core/mention.js';
import { missingSourcesNote, SCHEMA_VERSION, type AnalyzedMention, type Report, type ReportSettings, type SourceCoverage } from '../core/report.js';
import { toolVersion } from '../core/version.js';
import { createBusinessCalendar } from '../analysis/business-hours.js';
import { createAnalysis, type AnalysisSettings } from '../analysis/pipeline.js';
import { createSentimentScorer, type SentimentScorer } from '../analysis/sentiment.js';
import { parseBusinessHours, validateTimeZone } from '../core/business-hours-spec.js';
import { loadSentimentInputs } from '../core/model-files.js';
import { checkThresholds, unevaluatedThresholds, type Breach, type Thresholds, type Unevaluated } from '../analysis/thresholds.js';
import { compareReports } from '../report/compare.js';
import { buildTrends, type HistoryReport } from '../report/history.js';
import { applicableBenchmarks } from '../report/benchmarks.js';
import type { AuditAnalysis } from './plan.js';

/** Report parts that do not come from the analysis itself. */
export interface ReportContext {
  settings: ReportSettings;
  coverage: SourceCoverage[];
  warnings: readonly string[];
  /** The previous run's report, to compare with. */
  previous?: Report;
  /** Earlier reports for trend lines (--history). */
  history?: readonly HistoryReport[];
  thresholds?: Thresholds;
  /** How a breach reads in `breaches` (the CLI names its flags; the default does not). */
  describeBreach?: (b: Breach) => string;
  /** False: leave published benchmarks out of the report (--no-benchmarks). */
  benchmarks?: boolean;
}

/** What to do with analysed mentions as they come. */
export interface AnalyzeHooks {
  /** Called for each analysed mention, in output order; awaited, so a slow sink slows the analysis. */
  onMention?: (m: AnalyzedMention) => void | Promise<void>;
  /** Keep every analysed mention in `report.mentions` (else it stays empty). */
  keepMentions: boolean;
  /** Told each warning the analysis itself adds to the report (mentions after the as-of time), for stderr. */
  warn?: (message: string) => void;
}

/** How mentions are judged, as `analyze`, `audit` and the library each describe it; `judge` turns it into both halves. */
export interface Judging extends AuditAnalysis {
  now: Date;
  /** The brands whose figures lead the report (and whose breaches are checked). */
  brands: readonly string[];
  /** The brand's accounts, as the report's settings list them. */
  brandHandles: readonly string[];
  /** The accounts the analysis counts as the brand's, when not `brandHandles` (a multi-brand audit marks them per source). */
  matchHandles?: readonly string[];
  /** Brand label for mentions that carry none. */
  defaultBrand: string;
  /** Default: the shipped model. */
  scorer?: SentimentScorer;
  /** Report settings beside the analysis ones: the input file, or the window and queries of an audit. */
  about?: Pick<ReportSettings, 'since' | 'until' | 'input' | 'queries' | 'asOfFrom'>;
  coverage?: SourceCoverage[];
  warnings?: readonly string[];
  /** Brands that get figures even with no mention: every audited brand, so one whose sources all failed is not dropped. */
  expectBrands?: readonly string[];
}

/** The analysis settings and report context for a judging: one calendar, one scorer, the report's settings in order. */
export function judge(j: Judging): { analysis: AnalysisSettings; context: ReportContext } {
  const timeZone = validateTimeZone(j.timeZone);
  const calendar = createBusinessCalendar({ schedule: parseBusinessHours(j.businessHours), timeZone, holidays: [...j.holidays] });
  const target = j.replyTargetMinutes !== undefined ? { replyTargetMinutes: j.replyTargetMinutes } : {};
  return {
    analysis: {
      scorer: j.scorer ?? createSentimentScorer(loadSentimentInputs()),
      calendar,
      timeZone,
      now: j.now,
      brandHandles: [...(j.matchHandles ?? j.brandHandles)],
      defaultBrand: j.defaultBrand,
      unansweredLimit: j.unansweredLimit,
      ...target,
      ...(j.deadlines ? { deadlines: j.deadlines } : {}),
      ...(j.expectBrands ? { expectBrands: j.expectBrands } : {}),
      ...(j.canned ? { canned: j.canned } : {}),
    },
    context: {
      settings: { brands: [...j.brands], brandHandles: [...j.brandHandles], timeZone, businessHours: calendar.describe(), ...j.about, ...target, ...(j.canned ? { canned: { ...j.canned } } : {}) },
      coverage: j.coverage ?? [],
      warnings: j.warnings ?? [],
      ...(j.previous ? { previous: j.previous } : {}),
      ...(j.history ? { history: j.history } : {}),
      ...(j.thresholds ? { thresholds: j.thresholds } : {}),
      ...(j.describeBreach ? { describeBreach: j.describeBreach } : {}),
      ...(j.benchmarks === false ? { benchmarks: false } : {}),
    },
  };
}

/** The warning for mentions the as-of time left out. */
function afterAsOfWarning(count: number, now: Date): string {
  const what = count === 1 ? '1 mention was' : `${count} mentions were`;
  return `${what} created after the as-of time ${now.toISOString()} and left out of every figure (set --now to a later time to count them).`;
}

/** A breach as a sentence that names no flag: for library callers. */
function plainBreach(b: Breach): string {
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  if (b.metric === 'responseRate') return `${b.brand}: response rate ${pct(b.actual)} is under the threshold of ${pct(b.limit)} (${b.answered} of ${b.needingReply} answered).`;
  if (b.metric === 'medianReplyMinutes') return `${b.brand}: median first reply ${b.actual} min is over the threshold of ${b.limit} min.`;
  if (b.metric === 'sourceErrors') return `${b.actual} ${b.actual === 1 ? 'source' : 'sources'} failed: ${(b.sources ?? []).join(', ')}.`;
  return `${b.brand}: negative share ${pct(b.actual)} is over the threshold of ${pct(b.limit)}.`;
}

const FIGURE_NAMES: Record<Unevaluated['metric'], { name: string; why: string }> = {
  responseRate: { name: 'response rate', why: 'no complaint or question was observed' },
  medianReplyMinutes: { name: 'median first reply', why: 'no complaint or question was answered' },
  negativeShare: { name: 'negative share', why: 'no customer mention was scored' },
};

/** Sources that failed (or broke off) with an error, as "id" or "id (brand)"; an interruption is the user's doing. */
function failedSources(coverage: readonly SourceCoverage[]): string[] {
  return coverage.filter((c) => (c.status === 'failed' || c.status === 'partial') && c.error && c.error.code !== 'interrupted').map((c) => (c.brand ? `${c.source} (${c.brand})` : c.source));
}

/** A threshold that was not evaluated, as one sentence: which figure, why it is undefined, and whether sources failed. */
function unevaluatedSentence(u: Unevaluated, coverage: readonly SourceCoverage[]): string {
  const { name, why } = FIGURE_NAMES[u.metric];
  const note = missingSourcesNote(coverage);
  return `${u.brand}: the ${name} threshold was not evaluated: ${why}${note ? `, and ${note}` : ''}.`;
}

/** Analyses `mentions` and resolves to the report (with comparison and breaches when asked for). */
export async function analyzeToReport(
  mentions: AsyncIterable<Mention> | Iterable<Mention>,
  analysis: AnalysisSettings,
  context: ReportContext,
  hooks: AnalyzeHooks,
): Promise<Report> {
  const run = createAnalysis(analysis);
  const kept: AnalyzedMention[] = [];
  for await (const am of run.run(mentions)) {
    if (hooks.keepMentions) kept.push(am);
    if (hooks.onMention) await hooks.onMention(am);
  }
  const summary = run.summary.finish();
  if (context.benchmarks !== false) for (const b of [summary.overall, ...summary.brands]) b.benchmarks = applicableBenchmarks(b);
  const own = run.afterAsOf > 0 ? [afterAsOfWarning(run.afterAsOf, analysis.now)] : [];
  const history = context.history ? buildTrends(context.history, { generatedAt: analysis.now.toISOString(), summary }) : undefined;
  if (history) own.push(...history.warnings);
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'earshot', version: toolVersion() },
    generatedAt: analysis.now.toISOString(),
    settings: context.settings,
    coverage: context.coverage,
    summary,
    // Sources run concurrently, so warnings arrive in any order; sorted, a rerun gives the same bytes.
    warnings: [...context.warnings, ...own].sort(),
    mentions: kept,
  };
  for (const w of own) hooks.warn?.(w);
  if (context.previous) report.comparison = compareReports(context.previous, summary);
  if (history?.trends) report.trends = history.trends;
  if (context.thresholds) {
    const main = context.settings.brands;
    const targets = summary.brands.length === 0 ? [summary.overall] : main.length > 0 ? summary.brands.filter((b) => main.includes(b.brand)) : summary.brands;
    const found = targets.flatMap((b) => checkThresholds(b, context.thresholds!));
    const failed = failedSources(context.coverage);
    if (context.thresholds.sourceErrors === true && failed.length > 0) {
      found.push({ brand: main[0] ?? summary.overall.brand, metric: 'sourceErrors', actual: failed.length, limit: 0, sources: failed });
    }
    const breaches = found.map(context.describeBreach ?? plainBreach);
    if (breaches.length > 0) report.breaches = breaches;
    // An undefined figure (0 of 0) is not a pass: it is said, so a cron job does not read an outage as a good week.
    const notEvaluated = targets.flatMap((b) => unevaluatedThresholds(b, context.thresholds!)).map((u) => unevaluatedSentence(u, context.coverage));
    if (notEvaluated.length > 0) report.notEvaluated = notEvaluated;
  }
  return report;
}
