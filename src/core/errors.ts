/** Typed errors, grouped by what the caller should do; each carries a stable `code`. */
import { messageLine } from './sanitize.js';

/** Every code an earshot error can carry. */
export type ErrorCode =
  | 'usage'
  | 'config'
  | 'input'
  | 'output'
  | 'blocked'
  | 'rate-limited'
  | 'auth-required'
  | 'not-found'
  | 'network'
  | 'timeout'
  | 'bad-response'
  | 'unavailable'
  | 'not-configured'
  | 'not-recorded'
  | 'interrupted';

/** Base class: a message a user can act on, plus a machine code. */
export class EarshotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EarshotError';
    this.code = code;
  }
}

/** Bad flags, config or arguments: exit 2. */
export class UsageError extends EarshotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

/** Unreadable input file or record: exit 2 when fatal, otherwise a warning. */
export class InputError extends EarshotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
    this.name = 'InputError';
  }
}

/** Output could not be written: exit 3. */
export class OutputError extends EarshotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('output', message, options);
    this.name = 'OutputError';
  }
}

/** The reader of our output went away (`| head`): not a failure, nothing more to write. */
export class PipeClosedError extends OutputError {
  constructor() {
    super('The output pipe was closed by its reader.');
    this.name = 'PipeClosedError';
  }
}

/** What every SourceError (and subclass) accepts besides its message. */
export interface SourceErrorOptions {
  cause?: unknown;
  sourceId?: string;
  status?: number;
  retryable?: boolean;
  /** The start of the service's error answer (capped, secrets redacted), so a source can read its details. */
  body?: string;
}

/** A source or HTTP failure, contained per source; `retryable` tells the client whether to try again. */
export class SourceError extends EarshotError {
  readonly sourceId: string | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** The start of the service's error answer, when there was one: sources read service-specific details here. */
  readonly body: string | undefined;
  constructor(code: ErrorCode, message: string, options?: SourceErrorOptions) {
    // Source errors quote servers (error_message, HTML titles): one line, no control characters, a bounded length,
    // wherever the message goes (stderr, report.json's coverage, raw evidence).
    super(code, messageLine(message), options);
    this.name = 'SourceError';
    this.sourceId = options?.sourceId;
    this.status = options?.status;
    this.retryable = options?.retryable ?? false;
    this.body = options?.body;
  }
}

/** The service is throttling us: wait (until `resetAt` when it said) or lower the request rate. */
export class RateLimitedError extends SourceError {
  /** When the service said its quota resets, if it did. */
  readonly resetAt: Date | undefined;
  constructor(message: string, options?: SourceErrorOptions & { resetAt?: Date }) {
    super('rate-limited', message, options);
    this.name = 'RateLimitedError';
    this.resetAt = options?.resetAt;
  }
}

/** The service wants credentials: set or fix the source's token. */
export class AuthRequiredError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions) {
    super('auth-required', message, options);
    this.name = 'AuthRequiredError';
  }
}

/** The service refuses this client or network: retrying now will not help. */
export class BlockedError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions) {
    super('blocked', message, options);
    this.name = 'BlockedError';
  }
}

/** Nothing at that address: check the URL, feed or query. */
export class NotFoundError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions) {
    super('not-found', message, options);
    this.name = 'NotFoundError';
  }
}

/** The connection failed (DNS, refused, reset, TLS): check the network and host name. */
export class NetworkError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions) {
    super('network', message, options);
    this.name = 'NetworkError';
  }
}

/** The service was too slow: try later or raise the timeout. */
export class TimeoutError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions) {
    super('timeout', message, options);
    this.name = 'TimeoutError';
  }
}

/** The answer was unusable (odd status, truncated, too large, undecodable): the service may have changed. */
export class BadResponseError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions) {
    super('bad-response', message, options);
    this.name = 'BadResponseError';
  }
}

/**
 * The source had nothing it could do (no feed given, no login for a login-only search): it is reported as skipped,
 * with this message saying what to set, rather than as "ok, 0 mentions". Configure the source or leave it out.
 */
export class SourceSkippedError extends SourceError {
  constructor(message: string, options?: SourceErrorOptions & { code?: 'not-configured' | 'auth-required' }) {
    super(options?.code ?? 'not-configured', message, options);
    this.name = 'SourceSkippedError';
  }
}

/** Options for re-wording a client's error in a source's terms: its status and error answer kept, the error as cause. */
export function rewordOptions(error: SourceError, sourceId: string): SourceErrorOptions {
  return { sourceId, cause: error, ...(error.status === undefined ? {} : { status: error.status }), ...(error.body === undefined ? {} : { body: error.body }) };
}

/** The SourceError subclass for a code (plain SourceError for codes without one), so replays and re-wraps keep the class. */
export function createSourceError(code: ErrorCode, message: string, options?: SourceErrorOptions & { resetAt?: Date }): SourceError {
  switch (code) {
    case 'rate-limited':
      return new RateLimitedError(message, options);
    case 'auth-required':
      return new AuthRequiredError(message, options);
    case 'blocked':
      return new BlockedError(message, options);
    case 'not-found':
      return new NotFoundError(message, options);
    case 'network':
      return new NetworkError(message, options);
    case 'timeout':
      return new TimeoutError(message, options);
    case 'bad-response':
      return new BadResponseError(message, options);
    default:
      return new SourceError(code, message, options);
  }
}

/** `prefix: message`, unless the message already starts with that prefix (some sources name themselves). */
function withPrefix(prefix: string, message: string): string {
  return message.startsWith(`${prefix}: `) ? message : `${prefix}: ${message}`;
}

/**
 * The same error with `prefix: ` in front of its message: same class, code, cause, status, retryable and every other
 * field, so re-wrapping for context never loses what the caller decides on.
 */
export function withContext<E extends Error>(err: E, prefix: string): E {
  const message = withPrefix(prefix, err.message);
  if (message === err.message) return err;
  // A copy rather than `new` so any subclass (with any constructor signature) survives.
  const copy = Object.create(Object.getPrototypeOf(err) as object) as E;
  for (const key of Reflect.ownKeys(err)) {
    if (key === 'message' || key === 'stack') continue;
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(err, key)!);
  }
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  const stack = err.stack?.startsWith(`${err.name}: ${err.message}`) ? `${err.name}: ${message}${err.stack.slice(`${err.name}: ${err.message}`.length)}` : err.stack;
  Object.defineProperty(copy, 'stack', { value: stack, writable: true, configurable: true, enumerable: false });
  return copy;
}

/** Exit codes, documented in docs/exit-codes.md and `earshot --help`. */
export const EXIT = {
  ok: 0,
  threshold: 1,
  usage: 2,
  nothing: 3,
} as const;

/**
 * earshot did not send a request because a budget it keeps for the service is spent (a number of requests per window,
 * across runs) or because the service rate-limited it until a time still ahead: wait until `resetAt`, or use another
 * way in (a token, an API app). Never retried: asking again before then only spends the budget further.
 */
export class BudgetSpentError extends RateLimitedError {
  /** 'spent': earshot's own budget is used up; 'limited': the service answered 429 earlier and its wait is not over. */
  readonly reason: 'spent' | 'limited';
  constructor(message: string, options: SourceErrorOptions & { resetAt?: Date; reason: 'spent' | 'limited' }) {
    super(message, { ...options, retryable: false });
    this.name = 'BudgetSpentError';
    this.reason = options.reason;
  }
}
