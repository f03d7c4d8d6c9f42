/** One network round trip on the client's undici Agent: no redirects, no retries, no classification of the status. */
import { abortAfter } from '../core/deadline.js';
import type { Agent } from 'undici';
import { BadResponseError, NetworkError, TimeoutError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { decodeText, decompress } from './decompress.js';
import { formatBytes, formatDuration } from './policy.js';
import { redactUrl } from './redact.js';
import type { RawResult, RequestContext } from './request.js';
import { advised, errorCodeOf, flattenHeaders, tooLarge } from './request.js';

/** Timeouts in milliseconds. */
export interface HttpTimeouts {
  /** TCP + TLS connect (default 10 s). */
  connectMs: number;
  /** Until response headers arrive (default 30 s). */
  headersMs: number;
  /** Longest silence while the body streams (default 30 s). */
  bodyMs: number;
  /** One round trip in all: connecting, waiting for the answer and reading the whole body (default 60 s). */
  roundTripMs: number;
  /**
   * One request in all: every round trip (retries and redirects) and the waits before retries (default 90 s). Waiting
   * for a rate-limit slot does not count: that is politeness, bounded by the source's budget.
   */
  requestMs: number;
}

/** What send needs from the client that owns it. */
export interface SendDeps {
  agent: Agent;
  timeouts: HttpTimeouts;
  /** Cap on a 2xx body after decompression. */
  maxBodyBytes: number;
  /** The Agent's cap on the response headers (its `maxHeaderSize`), for the message when a server sends more. */
  maxHeaderBytes: number;
  logger: Logger;
  /** Counts each request sent and the body bytes received (after decompression). */
  stats: { requests: number; bytes: number };
}

/** One hop of a request: the method, URL, headers and body in force after any redirects so far. */
export type Send = (req: RequestContext, url: URL) => Promise<RawResult>;

// How much of an error body we read (for block-page detection and nothing else).
const ERROR_BODY_CAP = 256 * 1024;
// Certificate problems: retrying will not help.
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|ALTNAME/i;

/**
 * A send function over `deps.agent`; it throws SourceError subclasses (still to be phrased for the user) on failure.
 * Besides undici's silence limits, each round trip has a hard deadline (`roundTripMs`, or what is left of the
 * request's `requestMs` when that is less): a body that drips a byte at a time never counts as silent.
 */
export function createSend(deps: SendDeps): Send {
  const { timeouts } = deps;
  return async (ctx, url) => {
    const host = url.host;
    const deadline = ctx.deadline;
    const left = deadline ? deadline.limitMs - deadline.spentMs : Number.POSITIVE_INFINITY;
    if (left <= 0) throw requestDeadlineError(host, deadline!.limitMs, false);
    const limitMs = Math.min(timeouts.roundTripMs, left);
    const timer = abortAfter(limitMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timer.signal]) : timer.signal;
    const progress = { answered: false, received: 0 };
    const began = performance.now();
    try {
      return await roundTrip(deps, ctx, url, signal, progress);
    } catch (err) {
      if (!timer.signal.aborted || ctx.signal?.aborted) throw err;
      if (limitMs < timeouts.roundTripMs) throw requestDeadlineError(host, deadline!.limitMs, progress.answered);
      const reason = progress.answered
        ? `${host} did not finish sending the response within ${formatDuration(limitMs)} (${formatBytes(progress.received)} by then)`
        : `${host} did not answer within ${formatDuration(limitMs)}`;
      throw new TimeoutError(reason, { retryable: true, cause: err });
    } finally {
      timer.stop();
      // Only time with the server counts against the request: a wait for its rate-limit slot is politeness.
      if (deadline) deadline.spentMs += performance.now() - began;
    }
  };
}

/** The request's own deadline ran out (retries included): trying again at once cannot help, later might. */
function requestDeadlineError(host: string, requestMs: number, answered: boolean): TimeoutError {
  return new TimeoutError(`${host} did not ${answered ? 'finish sending the response' : 'answer'} within the ${formatDuration(requestMs)} earshot gives one request (retries included)`, {
    retryable: true,
  });
}

/** One round trip on `signal` (the caller's, or the deadline's): headers, then the body within its cap. */
async function roundTrip(deps: SendDeps, ctx: RequestContext, url: URL, signal: AbortSignal, progress: { answered: boolean; received: number }): Promise<RawResult> {
  const { agent, timeouts, maxBodyBytes, maxHeaderBytes, logger, stats } = deps;
  const host = url.host;
  stats.requests += 1;
  logger.debug(`${ctx.method} ${redactUrl(url.toString())}`);
  let res;
  try {
    res = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: ctx.method,
      headers: ctx.headers,
      body: ctx.body ?? null,
      signal,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw connectFailure(err, host, timeouts, maxHeaderBytes);
  }
  progress.answered = true;
  const headers = flattenHeaders(res.headers as Record<string, string | string[] | undefined>);
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  if (res.statusCode === 304 || res.statusCode === 204 || (res.statusCode >= 300 && res.statusCode < 400)) {
    await res.body.dump().catch(() => undefined);
    return { url: url.toString(), status: res.statusCode, headers, body: '' };
  }
  const cap = ok ? maxBodyBytes : ERROR_BODY_CAP;
  let raw: Buffer;
  try {
    raw = await readBody(res.body, headers, cap, host, timeouts, progress);
  } catch (err) {
    if (!ok && err instanceof BadResponseError && !err.retryable) raw = Buffer.alloc(0);
    else throw err;
  }
  let bytes: Buffer;
  try {
    bytes = await decompress(raw, headers['content-encoding'], host, ok ? maxBodyBytes : ERROR_BODY_CAP * 8);
  } catch (err) {
    // An unreadable error body still has a usable status.
    if (!ok) bytes = Buffer.alloc(0);
    else throw err;
  }
  stats.bytes += bytes.length;
  return { url: url.toString(), status: res.statusCode, headers, body: decodeText(bytes, headers['content-type']) };
}

/** Why no response arrived at all: connect/headers timeout, TLS, DNS or another network error. */
function connectFailure(err: unknown, host: string, timeouts: HttpTimeouts, maxHeaderBytes: number): Error {
  const code = errorCodeOf(err);
  // The server did answer, with more header bytes than any API sends: a broken server or something rewriting answers
  // in between. The same request would get the same answer, and the connection is fine.
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return advised(
      new BadResponseError(`${host} answered with more than ${formatBytes(maxHeaderBytes)} of response headers`, { cause: err }),
      "earshot does not read or retry such an answer; check the source's base URL, or whether a proxy or captive portal on this network rewrites answers",
    );
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TimeoutError(`could not connect to ${host} within ${formatDuration(timeouts.connectMs)}`, { retryable: true, cause: err });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new TimeoutError(`${host} did not answer within ${formatDuration(timeouts.headersMs)}`, { retryable: true, cause: err });
  }
  if (code && TLS_CODE.test(code)) {
    return new NetworkError(`the TLS certificate of ${host} was rejected (${code})`, { cause: err });
  }
  // No name, or nothing listening: an immediate answer that another try seconds later will not change (offline, a typo,
  // a server that is down). Retrying them made an offline audit take most of a minute.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_NODATA') {
    return new NetworkError(`the host name ${host} could not be resolved (${code})`, { cause: err });
  }
  if (code === 'ECONNREFUSED' || code === 'ENETUNREACH') {
    return new NetworkError(`could not reach ${host} (${code})`, { cause: err });
  }
  return new NetworkError(`could not reach ${host} (${code ?? (err as Error).message})`, { retryable: true, cause: err });
}

/** Read a body stream fully, enforcing the cap and checking Content-Length. */
async function readBody(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown; on(event: 'error', listener: (err: Error) => void): unknown },
  headers: Record<string, string>,
  cap: number,
  host: string,
  timeouts: HttpTimeouts,
  progress: { received: number },
): Promise<Buffer> {
  const declared = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
  if (declared !== undefined && Number.isFinite(declared) && declared > cap) {
    // Destroyed before anything reads it, undici's body emits an abort error that nobody listens for: an uncaught
    // exception that ended the whole run.
    body.on('error', () => undefined);
    body.destroy();
    throw tooLarge(`${host} sent a ${formatBytes(declared)} body, more than the ${formatBytes(cap)} limit on one response`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of body) {
      received += chunk.length;
      progress.received = received;
      if (received > cap) {
        body.destroy();
        throw tooLarge(`${host} sent a body of more than the ${formatBytes(cap)} limit on one response`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof BadResponseError) throw err;
    const code = errorCodeOf(err);
    if (code === 'UND_ERR_BODY_TIMEOUT') {
      throw new TimeoutError(`${host} stopped sending the response body for ${formatDuration(timeouts.bodyMs)}`, { retryable: true, cause: err });
    }
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      throw new BadResponseError(`${host} sent a truncated response (shorter than its Content-Length)`, { retryable: true, cause: err });
    }
    if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') throw err;
    if (declared !== undefined && Number.isFinite(declared) && received < declared) {
      throw new BadResponseError(`${host} cut the response off after ${received} of ${declared} bytes`, { retryable: true, cause: err });
    }
    throw new NetworkError(`the connection to ${host} dropped mid-response (${code ?? 'socket closed'})`, { retryable: true, cause: err });
  }
  if (declared !== undefined && Number.isFinite(declared) && received !== declared) {
    throw new BadResponseError(`${host} sent a truncated response (${received} of ${declared} bytes)`, { retryable: true });
  }
  return Buffer.concat(chunks);
}

