/** The report model every part shares: analysed mentions, brand summaries, coverage and the report itself (the public JSON schema). */
import type { Mention } from './mention.js';
// Type-only: the intent and sentiment shapes are defined beside the code that produces them.
import type { DeadlineClass, Deadlines } from '../analysis/deadlines.js';
import type { Intent } from '../analysis/intent.js';
import type { SentimentResult } from '../analysis/sentiment.js';
import type { ReplyTemplate } from '../analysis/canned.js';
import type { ResolutionInfo } from '../analysis/resolution.js';

/** Whether a mention needed a brand reply and what happened. */
type ResponseStatus = 'answered' | 'unanswered' | 'no-reply-needed' | 'unobservable';

/** Response facts for one mention. */
export interface ResponseInfo {
  status: ResponseStatus;
  /** Posted while business hours were open. */
  postedInHours: boolean;
  firstReplyId?: string;
  firstReplyAt?: string;
  firstReplyUrl?: string;
  /** Calendar minutes from the mention to the first brand reply. */
  replyMinutes?: number;
  /** Business-hours minutes (off-hours messages start the clock at opening). */
  replyBusinessMinutes?: number;
  /** The first reply only deflects to a private channel ("please DM us"). */
  deflection?: boolean;
  /** Unanswered: minutes the mention has been open at the audit's time. */
  openMinutes?: number;
  /** Unanswered or came back: ranking score (higher = more urgent); see docs/metrics.md. */
  severity?: number;
  /** The customer wrote again after the brand's reply to them in this thread and the brand said nothing since. */
  cameBack?: boolean;
  /** Came back: minutes from the brand's last word in the thread to the audit's time. */
  sinceBrandMinutes?: number;
  /** Answered: what the customer's later messages in the thread say (docs/metrics.md "Resolution in public"). */
  resolution?: ResolutionInfo;
  /** Needs a reply: the reply deadline of its triage class, in minutes (docs/metrics.md). */
  deadlineMinutes?: number;
  /** Unanswered: minutes open past the deadline; negative while there is time left. */
  overdueMinutes?: number;
}

/** A mention with its sentiment, intent and response facts. */
export interface AnalyzedMention extends Mention {
  sentiment: SentimentResult;
  intent: Intent;
  intentEvidence: string[];
  needsReply: boolean;
  response: ResponseInfo;
}

/** A count and share pair. */
export interface RateFigure {
  needingReply: number;
  answered: number;
  /** answered ÷ needingReply, or null when nothing needed a reply. */
  rate: number | null;
  medianMinutes: number | null;
}

/** Volume and response per source. */
export interface SourceFigure {
  source: string;
  count: number;
  negative: number;
  needingReply: number;
  answered: number;
  rate: number | null;
  /** Complaints and questions whose replies this source cannot show (see Mention.replyObservable). */
  unobservable: number;
}

/** Response figures for authors of one reach tier. */
export interface ReachFigure extends RateFigure {
  tier: string;
}

/** A day that stood out from the trailing week. */
export interface Spike {
  date: string;
  kind: 'volume' | 'negative-share';
  value: number;
  baseline: number;
  /** One sentence for humans. */
  message: string;
  /** What drove the day (terms, sources, authors, sentiment, examples). */
  explanation?: SpikeExplanation;
}

/** A brand's figure set against one published benchmark (src/report/benchmarks.ts). */
export interface BenchmarkComparison {
  /** The benchmark's id, e.g. `brandwatch-2015-tagged`. */
  id: string;
  /** What is compared: `response_rate`, `median_reply_minutes`, `within_15m_share`, `within_1h_share`, `review_within_2d_share`. */
  metric: string;
  /** The brand's value (a share 0–1, or minutes). */
  value: number;
  /** The published value, in the same unit. */
  benchmark: number;
  /** Where the brand stands: better, level or worse than the benchmark (by the metric's direction). */
  standing: 'better' | 'level' | 'worse';
  /** One sentence: "answered 30%: below the 46.6% of retailers in Brandwatch's 2015 test". */
  text: string;
  source: string;
  year: number;
  url: string;
}

/** Why a spike day stood out, read from its own mentions against the trailing week (docs/metrics.md "Spikes explained"). */
export interface SpikeExplanation {
  /** Words far more frequent on the day than in the week before (log-odds z-score with a prior), most distinctive first. */
  terms: { term: string; count: number; baselineCount: number; z: number }[];
  /** Sources by the day's customer mentions, with the trailing week's daily mean. */
  sources: { source: string; count: number; baselineDailyMean: number }[];
  /** Authors with more than one customer mention on the day, most first. */
  authors: { author: string; count: number }[];
  /** Negative and positive shares of the day's scored customer mentions against the trailing week's. */
  sentiment: { negativeShare: number | null; baselineNegativeShare: number | null; positiveShare: number | null; baselinePositiveShare: number | null };
  /** Up to three of the day's customer mentions that carry the distinctive terms. */
  examples: { id: string; source: string; url?: string; author?: string; createdAt: string; sentiment: string; excerpt: string }[];
}

/** One unanswered mention in the ranked queue. */
export interface UnansweredItem {
  id: string;
  source: string;
  brand?: string;
  url?: string;
  author?: string;
  createdAt: string;
  openMinutes: number;
  severity: number;
  intent: Intent;
  sentiment: string;
  excerpt: string;
  /** The customer came back after the brand's reply and has had no answer since. */
  cameBack?: true;
  /** Came back: minutes since the brand's last word in the thread. */
  sinceBrandMinutes?: number;
  /** The reply deadline of its triage class, in minutes. */
  deadlineMinutes: number;
  /** Minutes open past the deadline (negative: time left); the queue is ranked by it. */
  overdueMinutes: number;
}

/** Every headline figure for one brand (or all brands together). */
export interface BrandSummary {
  brand: string;
  volume: {
    total: number;
    customer: number;
    fromBrand: number;
    bySource: SourceFigure[];
    byDay: { date: string; count: number; positive: number; negative: number }[];
  };
  sentiment: {
    positive: number;
    neutral: number;
    negative: number;
    unscored: number;
    /** Shares of scored customer mentions. */
    positiveShare: number | null;
    negativeShare: number | null;
  };
  intents: Record<Intent, number>;
  response: {
    needingReply: number;
    answered: number;
    unanswered: number;
    rate: number | null;
    medianMinutes: number | null;
    p90Minutes: number | null;
    medianBusinessMinutes: number | null;
    p90BusinessMinutes: number | null;
    deflections: number;
    /** Deflecting first replies ÷ answered. */
    deflectionShare: number | null;
    /** Answered mentions whose first reply came from a template (docs/metrics.md "Canned replies"). */
    cannedFirstReplies: number;
    /** cannedFirstReplies ÷ answered. */
    cannedShare: number | null;
    /** Answered by a first reply that is neither canned nor only a deflection. */
    substantive: number;
    /** substantive ÷ needingReply: the substantive response rate. */
    substantiveRate: number | null;
    /** Customers who wrote again after the brand's reply in the thread and got no further answer. */
    followUpsUnanswered: number;
    /** Answered mentions whose customer said later in the thread that it was fixed. */
    resolved: number;
    /** Answered mentions whose customer said later in the thread that it was not fixed. */
    unresolved: number;
    /** Answered mentions with no later word from their customer, or nothing decisive in it. */
    resolutionUnknown: number;
    /** resolved ÷ answered. */
    resolvedShare: number | null;
    /** unresolved ÷ answered. */
    unresolvedShare: number | null;
    /** The brand's reply templates, most used first (at most 10). */
    templates: ReplyTemplate[];
    /** Answered mentions by calendar time to first reply: 0–1h, 1–4h, 4–8h, 8–24h, 24h+. */
    distribution: { label: string; count: number }[];
    /** With --reply-target: shares of mentions needing a reply answered within it. */
    withinTarget?: { targetMinutes: number; calendarShare: number | null; businessShare: number | null };
    /** Mentions needing a reply answered within 15 minutes, 1 hour and 2 days (calendar time): what published benchmarks measure. */
    answeredWithin?: { minutes15: number; hour1: number; days2: number };
    /** Reviews (mentions with a star rating) needing a reply: how many, answered, answered within 2 days. */
    reviews?: { needingReply: number; answered: number; withinDays2: number };
  };
  /** Published benchmarks that apply to this brand's figures (docs/benchmarks.md); absent with --no-benchmarks. */
  benchmarks?: BenchmarkComparison[];
  /** Response by the author's reach (followers where the source gives them): do loud customers get answered first? */
  byReach: ReachFigure[];
  /** This brand's customer mentions ÷ all brands' customer mentions (competitor audits). */
  shareOfVoice: number | null;
  /** Days whose volume or negative share jumped above the trailing baseline (see docs/metrics.md). */
  spikes: Spike[];
  offHours: { inHours: RateFigure; offHours: RateFigure };
  brandActivity: {
    broadcasts: number;
    replies: number;
    /** Broadcasts ÷ (broadcasts + replies). */
    broadcastShare: number | null;
    /** Brand top-level posts published while at least one complaint waited unanswered. */
    broadcastsWhileComplaintWaiting: number;
  };
  /** Unanswered mentions open past their class's reply deadline, counted over all of them (not only those listed). */
  overdue: { total: number; byClass: Record<DeadlineClass, number>; deadlineMinutes: Deadlines };
  unanswered: UnansweredItem[];
}

/** One figure's change. */
export interface FigureChange {
  /** A figure id from the registry's `compared` list (src/report/views.ts), so a new compared figure is one registry row. */
  figure: string;
  previous: number | null;
  current: number | null;
  /** current − previous, or null when either is unknown. */
  change: number | null;
}

/** Changes for every brand present in the current report. */
export interface Comparison {
  previousGeneratedAt: string;
  brands: { brand: string; changes: FigureChange[] }[];
}

/** One report a trend reads: this run (no file) or an earlier one from --history. */
interface TrendReport {
  generatedAt: string;
  /** The file it was read from, relative to the --history folder; absent for this run. */
  file?: string;
}

/** Trend lines across earlier reports (--history): each figure's value per report, oldest first, this run last. */
export interface Trends {
  /** Figure ids (the registry's) each brand has a series of. */
  figures: string[];
  reports: TrendReport[];
  /** Per brand, one series per figure, its values aligned with `reports` (null: not in that report, or undefined). */
  brands: { brand: string; series: { figure: string; values: (number | null)[] }[] }[];
}

/** Bumped on any breaking change to the JSON/NDJSON/CSV shapes. */
export const SCHEMA_VERSION = 1;

/** What happened to one source during an audit. */
export interface SourceCoverage {
  source: string;
  /** The brand this row is for (competitor audits). */
  brand?: string;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  mentions: number;
  /** Items the source knew existed but could not read (e.g. Reddit replies behind a failed expansion); makes it partial. */
  unread?: number;
  warnings: string[];
  error?: { code: string; message: string };
}

/** Settings the figures depend on, recorded so a reader knows how they were computed. */
export interface ReportSettings {
  brands: string[];
  brandHandles: string[];
  timeZone: string;
  businessHours: string;
  since?: string;
  until?: string;
  input?: string;
  /** The boolean query each brand was searched and filtered with. */
  queries?: Record<string, string>;
  /** --reply-target in minutes. */
  replyTargetMinutes?: number;
  /** The canned-reply settings, when not the defaults (docs/metrics.md "Canned replies"). */
  canned?: { minUses: number; similarity: number };
  /**
   * Where `analyze`'s as-of time (`generatedAt`) came from: `given` (--now, the library's `now`), `input` (the newest
   * time in the analysed file) or `clock` (the time of the run). Audits leave it out, so a --from-raw replay gives the
   * live run's bytes.
   */
  asOfFrom?: AsOfFrom;
}

/** Where a report's as-of time came from (see ReportSettings.asOfFrom). */
export type AsOfFrom = 'given' | 'input' | 'clock';

/** A whole audit or analysis. */
export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  /** The as-of time: nothing created after it is counted, and "open for" runs to it. */
  generatedAt: string;
  settings: ReportSettings;
  coverage: SourceCoverage[];
  summary: { overall: BrandSummary; brands: BrandSummary[] };
  warnings: string[];
  /** With --compare: changes since the previous report. */
  comparison?: Comparison;
  /** With --history: trend lines over earlier reports and this one. */
  trends?: Trends;
  /** Threshold breaches (--fail-*), one sentence each. */
  breaches?: string[];
  /** Thresholds that could not be checked because their figure is undefined (nothing to measure), one sentence each. */
  notEvaluated?: string[];
  mentions: AnalyzedMention[];
}

/** The figures a report leads with: the audited brand's when exactly one is named and present (competitor audits), else all. */
export function focusSummary(report: Report): BrandSummary {
  const names = report.settings.brands;
  return (names.length === 1 ? report.summary.brands.find((b) => b.brand === names[0]) : undefined) ?? report.summary.overall;
}

/** Why figures may be missing: "2 of 3 sources failed or were skipped (reddit, rss)", or undefined when every source ran. */
export function missingSourcesNote(coverage: readonly SourceCoverage[]): string | undefined {
  const missing = coverage.filter((c) => c.status === 'failed' || c.status === 'skipped');
  if (missing.length === 0) return undefined;
  const names = [...new Set(missing.map((c) => c.source))];
  const all = new Set(coverage.map((c) => c.source)).size;
  return `${names.length} of ${all} ${all === 1 ? 'source' : 'sources'} failed or ${names.length === 1 ? 'was' : 'were'} skipped (${names.join(', ')})`;
}
