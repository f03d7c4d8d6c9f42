/** Forgiving JSON field readers shared by the JSON sources' parsers. */
import { SourceError } from '../../core/errors.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a body as JSON; a body that is not JSON throws the error `fail` builds, told whether the body looks like
 * an HTML page (an error or block page is the usual culprit) so each source can word it for its users.
 */
export function parseJsonOr(body: string, fail: (looksHtml: boolean, cause: unknown) => Error): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (cause) {
    throw fail(/^\s*</.test(body), cause);
  }
}

/** Parses a body as JSON or throws `bad-response` saying what was expected (an HTML error page is the usual culprit). */
export function parseJsonBody(body: string, sourceId: string, expected: string): unknown {
  return parseJsonOr(
    body,
    (looksHtml, cause) =>
      new SourceError('bad-response', `${sourceId}: expected ${expected} but got ${looksHtml ? 'an HTML page' : 'a body that is not JSON'}.`, {
        cause,
        sourceId,
      }),
  );
}

/** Parses an API's JSON or throws `bad-response` as "<service> returned an HTML page where <expected> was expected." */
export function parseServiceJson(body: string, service: string, sourceId: string, expected: string): unknown {
  return parseJsonOr(
    body,
    (looksHtml, cause) =>
      new SourceError('bad-response', `${service} returned ${looksHtml ? 'an HTML page' : 'text that is not JSON'} where ${expected} was expected.`, {
        cause,
        sourceId,
      }),
  );
}

/** A string field, or undefined when absent or of another type. */
export function str(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  return typeof value === 'string' ? value : undefined;
}

/** A finite number field, or undefined. */
export function num(obj: JsonObject, key: string): number | undefined {
  return finiteNumber(obj[key]);
}

/** A finite number, or undefined (NaN and Infinity never come from JSON, but hand-built values may carry them). */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string, or undefined when the value is of another type (`str` reads one from an object by key). */
export function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, or a string of digits read as one (Algolia sends ids both ways), else undefined. */
export function numberOrDigits(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A string with something in it, or undefined: for APIs where an empty string means "absent". */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
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
