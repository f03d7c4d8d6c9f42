/** Typed errors, grouped by what the caller should do; each carries a stable `code`. */

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

/** A source or HTTP failure, contained per source; `retryable` tells the client whether to try again. */
export class SourceError extends EarshotError {
  readonly sourceId: string | undefined;
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; sourceId?: string; status?: number; retryable?: boolean },
  ) {
    super(code, message, options);
    this.name = 'SourceError';
    this.sourceId = options?.sourceId;
    this.status = options?.status;
    this.retryable = options?.retryable ?? false;
  }
}

/** Exit codes, documented in docs/exit-codes.md and `earshot --help`. */
export const EXIT = {
  ok: 0,
  threshold: 1,
  usage: 2,
  nothing: 3,
} as const;
