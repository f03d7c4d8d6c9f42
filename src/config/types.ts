/**
 * The shape of a validated earshot.yml (see docs/config.md), inferred from the schema. Type-only re-exports, so
 * callers that import these never load the schema library.
 */
import type { SourceConfig } from './schema.js';

export type { Config, SourceConfig } from './schema.js';
export { CONFIG_KEYS } from './options.js';

/** Polite request pace for one source's host. */
export type ConfigRateLimit = NonNullable<SourceConfig['rateLimit']>;

