/**
 * The shape of a validated earshot.yml (see docs/config.md), inferred from the schema. Type-only re-exports, so
 * callers that import these never load the schema library.
 */
import type { Config, SourceConfig } from './schema.js';

export type { Config, SourceConfig } from './schema.js';
export { CONFIG_KEYS } from './options.js';

/** Polite request pace for one source's host. */
export type ConfigRateLimit = NonNullable<SourceConfig['rateLimit']>;

/** A competitor audited alongside the brand. */
export type CompetitorConfig = NonNullable<Config['competitors']>[number];

/** Limits that `--fail-*` style checks compare against. */
export type ThresholdsConfig = NonNullable<Config['thresholds']>;

/** Where and how reports are written. */
export type OutputConfig = NonNullable<Config['output']>;
