/** The shape of a validated earshot.yml (see docs/config.md); written by hand so callers never load the schema library. */

/** Polite request pace for one source's host. */
export interface ConfigRateLimit {
  requestsPerMinute: number;
  concurrency: number;
}

/** One source's settings: the common ones plus any source-specific option (subreddits, feeds, repos, ...). */
export interface SourceConfig {
  /** Listed sources are audited unless this is false (settings kept, source skipped). */
  enabled?: boolean;
  baseUrl?: string;
  rateLimit?: ConfigRateLimit;
  /** Source-specific options, passed to the source as `query.options`. */
  [option: string]: unknown;
}

/** A competitor audited alongside the brand. */
export interface CompetitorConfig {
  name: string;
  aliases?: string[];
  query?: string;
  /** Source id (or `all`) → handles whose posts are this competitor's. */
  handles?: Record<string, string[]>;
}

/** Limits that `--fail-*` style checks compare against. */
export interface ThresholdsConfig {
  /** Minimum share of complaints/questions answered, 0..1. */
  responseRate?: number;
  /** Maximum median reply time, a duration such as "4h". */
  medianReply?: string;
  /** Maximum share of negative mentions, 0..1. */
  negativeShare?: number;
}

/** Where and how reports are written. */
export interface OutputConfig {
  dir?: string;
  format?: 'table' | 'csv' | 'json' | 'ndjson' | 'html';
}

/** A validated config file. Only `brand` is required. */
export interface Config {
  brand: string;
  aliases?: string[];
  /** Boolean query (docs/query.md); default: brand OR aliases. `exclude` is always added. */
  query?: string;
  exclude?: string[];
  /** Source id (or `all`) → brand handles. */
  handles?: Record<string, string[]>;
  competitors?: CompetitorConfig[];
  /** Source id → settings; listed sources are the ones audited. */
  sources?: Record<string, SourceConfig>;
  businessHours?: string;
  timezone?: string;
  holidays?: string[];
  since?: string;
  until?: string;
  /** Most mentions per source. */
  limit?: number;
  thresholds?: ThresholdsConfig;
  replyTarget?: string;
  output?: OutputConfig;
}

/** The keys a config file may have at the top level, in the order docs and `earshot init` present them. */
export const CONFIG_KEYS = [
  'brand',
  'aliases',
  'query',
  'exclude',
  'handles',
  'competitors',
  'sources',
  'businessHours',
  'timezone',
  'holidays',
  'since',
  'until',
  'limit',
  'thresholds',
  'replyTarget',
  'output',
] as const satisfies readonly (keyof Config)[];
