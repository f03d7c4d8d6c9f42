/** Options and results shared by the input readers behind `earshot analyze [file|-]`. */
import type { Logger } from '../core/log.js';
import type { Mention } from '../core/mention.js';

/** Formats the readers understand; `auto` sniffs the first bytes (and the CSV header). */
export type InputFormat = 'auto' | 'ndjson' | 'json' | 'csv' | 'twcs';

/** The format actually used after detection. */
export type DetectedFormat = Exclude<InputFormat, 'auto'>;

/** How to read one input. */
export interface ReadOptions {
  /** Forced format; default `auto`. */
  format?: InputFormat;
  /** CSV column name → Mention field path (`--map column=field`). */
  map?: Record<string, string>;
  /** `--brand NAME`: for TWCS files, keep only threads of this brand. */
  brand?: string;
  /** `--brand-handle`: authors whose posts count as the brand's (case-insensitive, leading @ ignored). */
  brandHandles?: string[];
  /** Make the first malformed record fatal (an `InputError`) instead of a skipped warning. */
  strict?: boolean;
  /** Shown in messages; `-` means stdin and is shown as `<stdin>`. */
  fileName: string;
  log: Logger;
  /** Default source id for generic CSV rows without a `source` column; default `csv`. */
  sourceName?: string;
  /** Called once, before the first mention, with the detected format. */
  onFormat?: (format: DetectedFormat) => void;
}

/** Counters that fill in while the mentions are iterated. */
export interface ReadStats {
  /** Mentions yielded. */
  mentions: number;
  /** Malformed records reported and skipped. */
  skipped: number;
  /** TWCS rows left out by the `--brand` filter. */
  filtered: number;
}

/** An opened input: its format is known and header problems have already been thrown. */
export interface OpenedInput {
  format: DetectedFormat;
  /** Single-use: iterate once. */
  mentions: AsyncIterable<Mention>;
  stats: ReadStats;
  /** For TWCS: the company authors found in the file, filled in once the mentions have been iterated. */
  brands: string[];
}
