/** Forgiving JSON field readers shared by the github, discourse and stackexchange parsers. */
import { SourceError } from '../../core/errors.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a body as JSON or throws `bad-response` saying what was expected (an HTML error page is the usual culprit). */
export function parseJsonBody(body: string, sourceId: string, expected: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (cause) {
    const looksHtml = /^\s*</.test(body);
    throw new SourceError(
      'bad-response',
      `${sourceId}: expected ${expected} but got ${looksHtml ? 'an HTML page' : 'a body that is not JSON'}.`,
      { cause, sourceId },
    );
  }
}

/** A string field, or undefined when absent or of another type. */
export function str(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, or undefined. */
export function num(obj: JsonObject, key: string): number | undefined {
  const value = obj[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A nested object field, or undefined. */
export function obj(value: JsonObject, key: string): JsonObject | undefined {
  const inner = value[key];
  return isObject(inner) ? inner : undefined;
}

/** An id that may be a number or a string, as a string. */
export function idString(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

/** ISO 8601 UTC from an ISO string (any offset) or epoch seconds; undefined when unreadable. */
export function toIsoUtc(value: unknown): string | undefined {
  let date: Date;
  if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value * 1000);
  else if (typeof value === 'string' && value !== '') date = new Date(value);
  else return undefined;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Lower-cased handles without a leading @, for case-insensitive matching. */
export function normaliseHandles(handles: readonly string[]): Set<string> {
  return new Set(handles.map((h) => h.trim().replace(/^@/, '').toLowerCase()).filter((h) => h !== ''));
}

/** True when `handle` is one of the (normalised) brand handles. */
export function isBrandHandle(handle: string | undefined, brandHandles: ReadonlySet<string>): boolean {
  if (handle === undefined) return false;
  return brandHandles.has(handle.trim().replace(/^@/, '').toLowerCase());
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
