/** The report every renderer draws from; `--format json` prints it as is, so this type is the public schema. */
import type { AnalyzedMention, BrandSummary } from '../analysis/types.js';
import type { Comparison } from './compare.js';

/** Bumped on any breaking change to the JSON/NDJSON/CSV shapes. */
export const SCHEMA_VERSION = 1;

/** What happened to one source during an audit. */
export interface SourceCoverage {
  source: string;
  /** The brand this row is for (competitor audits). */
  brand?: string;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  mentions: number;
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
}

/** A whole audit or analysis. */
export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  generatedAt: string;
  settings: ReportSettings;
  coverage: SourceCoverage[];
  summary: { overall: BrandSummary; brands: BrandSummary[] };
  warnings: string[];
  /** With --compare: changes since the previous report. */
  comparison?: Comparison;
  /** Threshold breaches (--fail-*), one sentence each. */
  breaches?: string[];
  mentions: AnalyzedMention[];
}

/** The figures a report leads with: the audited brand's when exactly one is named and present (competitor audits), else all. */
export function focusSummary(report: Report): BrandSummary {
  const names = report.settings.brands;
  return (names.length === 1 ? report.summary.brands.find((b) => b.brand === names[0]) : undefined) ?? report.summary.overall;
}
