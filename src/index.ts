/** The library: `import { analyze, readMentions, RENDERERS } from 'earshot'` (see docs/api.md). */
import type { Readable } from 'node:stream';
import { createBusinessCalendar } from './analysis/business-hours.js';
import { parseBusinessHours } from './core/business-hours-spec.js';
import { loadSentimentInputs } from './core/model-files.js';
import { createSentimentScorer } from './analysis/sentiment.js';
import type { Breach, Thresholds } from './analysis/thresholds.js';
import { analyzeToReport } from './audit/analyze.js';
import { silentLogger } from './core/log.js';
import type { Mention } from './core/mention.js';
import type { AnalyzedMention, Report } from './core/report.js';
import { readMentions as readInput } from './input/index.js';

export type { Mention } from './core/mention.js';
export type { AnalyzedMention, BrandSummary, Comparison, FigureChange, Report, ReportSettings, SourceCoverage, UnansweredItem } from './core/report.js';
export { SCHEMA_VERSION } from './core/report.js';
export type { Breach, Thresholds } from './analysis/thresholds.js';
export { plainStyle, renderReport, RENDERERS, type OutputFormat, type Renderer, type RenderOptions, type RenderStream, type Style, type StyleRole } from './report/index.js';
export { FIGURES, type Figure } from './report/figures.js';

/** What `analyze` needs besides the mentions; every field is optional. */
export interface AnalyzeSettings {
  /** The audit's time: "open for" and the report's date are measured from it. Default: now. */
  now?: Date;
  /** The audited brand (label for mentions that carry none, and whose figures breaches are checked on). */
  brand?: string;
  /** Accounts whose posts are the brand's replies (leading @ ignored). */
  brandHandles?: readonly string[];
  /** IANA time zone for days and business hours. Default UTC. */
  timeZone?: string;
  /** Business hours, e.g. `Mon-Fri 09:00-17:00`. Default `24/7`. */
  businessHours?: string;
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays?: readonly string[];
  /** Report the share answered within this many minutes. */
  replyTargetMinutes?: number;
  /** Unanswered mentions kept per brand, most severe first. Default 50. */
  unansweredLimit?: number;
  /** A previous report to compare with (`report.comparison`). */
  previous?: Report;
  /** Limits to check (`report.breaches`). */
  thresholds?: Thresholds;
  /** Phrasing of a breach in `report.breaches`. */
  describeBreach?: (b: Breach) => string;
  /** Keep every analysed mention in `report.mentions`. Default true. */
  keepMentions?: boolean;
  /** Called with each analysed mention as it is ready (threads complete in order of their first post). */
  onMention?: (m: AnalyzedMention) => void | Promise<void>;
}

/** Analyses mentions (an iterable or async iterable) and resolves to the report, as `earshot analyze --format json` prints it. */
export async function analyze(mentions: Iterable<Mention> | AsyncIterable<Mention>, settings: AnalyzeSettings = {}): Promise<Report> {
  const timeZone = settings.timeZone ?? 'UTC';
  const calendar = createBusinessCalendar({ schedule: parseBusinessHours(settings.businessHours ?? '24/7'), timeZone, ...(settings.holidays ? { holidays: settings.holidays } : {}) });
  const now = settings.now ?? new Date();
  const brandHandles = [...(settings.brandHandles ?? [])];
  const target = settings.replyTargetMinutes !== undefined ? { replyTargetMinutes: settings.replyTargetMinutes } : {};
  return analyzeToReport(
    mentions,
    { scorer: createSentimentScorer(loadSentimentInputs()), calendar, timeZone, now, brandHandles, defaultBrand: settings.brand ?? '(unspecified)', unansweredLimit: settings.unansweredLimit ?? 50, ...target },
    {
      settings: { brands: settings.brand !== undefined ? [settings.brand] : [], brandHandles, timeZone, businessHours: calendar.describe(), ...target },
      coverage: [],
      warnings: [],
      ...(settings.previous ? { previous: settings.previous } : {}),
      ...(settings.thresholds ? { thresholds: settings.thresholds } : {}),
      ...(settings.describeBreach ? { describeBreach: settings.describeBreach } : {}),
    },
    { keepMentions: settings.keepMentions ?? true, ...(settings.onMention ? { onMention: settings.onMention } : {}) },
  );
}

/** Reads mentions from a stream in any input format earshot reads (NDJSON, JSON, CSV, TWCS); malformed records are skipped. */
export function readMentions(input: Readable, options: { fileName?: string; brand?: string; brandHandles?: string[]; map?: Record<string, string> } = {}): AsyncGenerator<Mention> {
  return readInput(input, { fileName: options.fileName ?? 'input', log: silentLogger, ...(options.brand ? { brand: options.brand } : {}), ...(options.brandHandles ? { brandHandles: options.brandHandles } : {}), ...(options.map ? { map: options.map } : {}) });
}
