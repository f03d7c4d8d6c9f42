/** Readers of a source's options (`SourceQuery.options`) shared by several sources. */
import { SourceError } from '../../core/errors.js';

/**
 * The list a lone string stands for: one `--source-option id.key=value` gives a string where a list is expected.
 * Anything else comes back unchanged for the caller to check in its own words.
 */
export function loneStringAsList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value;
}

/** A string[] option (a lone string becomes a one-item list); anything else is a config error. */
export function stringListOption(
  options: Readonly<Record<string, unknown>>,
  key: string,
  sourceId: string,
): string[] {
  const value = options[key];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map(String);
  }
  throw new SourceError('config', `${sourceId}: option "${key}" must be a list of strings.`, { sourceId });
}
