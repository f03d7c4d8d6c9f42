/** Internal shapes the client's pieces pass between them, and header helpers they share. */
import { BadResponseError, type SourceError } from '../core/errors.js';
import type { RequestBudget } from './budget.js';

/** One network answer before classification: final URL, status, lower-cased headers and the decoded body. */
export interface RawResult {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request as the pieces see it (headers lower-cased, secrets collected for redaction). */
export interface RequestContext {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  sourceId: string | undefined;
  signal: AbortSignal | undefined;
  secrets: string[];
  /** The budget every hop of this request is counted against, if any. */
  budget?: RequestBudget;
  /** The request's time limit and how much of it its round trips and retry waits have used (shared by every hop). */
  deadline?: RequestDeadline;
}

/** One request's time limit (`HttpTimeouts.requestMs`) and the part used so far. */
interface RequestDeadline {
  readonly limitMs: number;
  spentMs: number;
}

/** The first string `code` on an error or its causes (undici nests them), skipping undici's generic one. */
export function errorCodeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Connect failures where no request reached the server (the name did not resolve, nothing listened, no route). */
const NEVER_SENT = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'ECONNREFUSED', 'ENETUNREACH']);

/**
 * The code of a connect failure that never reached the server (ENOTFOUND, ECONNREFUSED, …) on an error or one of its
 * causes (send wraps undici's), or undefined for any other error.
 */
export function neverSentCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_SENT.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** undici's header record flattened to lower-case names and single string values. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A copy of `headers` with lower-case names. */
export function lowerKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** The first letter upper-cased (pieces phrase reasons in lower case; messages start a sentence). */
export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

// Advice given to one failure in place of its code's usual one: a body over the cap is not "try again later".
const ADVICE = new WeakMap<SourceError, string>();

/** `err`, to be told with this advice (a clause, no final period) instead of its code's usual one. */
export function advised<E extends SourceError>(err: E, advice: string): E {
  ADVICE.set(err, advice);
  return err;
}

/** The advice advised() gave `err`, if any. */
export function adviceOf(err: SourceError): string | undefined {
  return ADVICE.get(err);
}

// No API page or feed earshot reads comes near the cap: a body that size is a file, a runaway page or an attack.
const BODY_CAP_ADVICE = "earshot stops reading there and does not retry; check that the source's base URL or feed URL points at an API page or a feed, not a large file";

/** A body over the cap: not transient, and no setting raises the cap, so the advice is about the URL. */
export function tooLarge(reason: string): BadResponseError {
  return advised(new BadResponseError(reason), BODY_CAP_ADVICE);
}
