/** Readers for earshot's own JSON: NDJSON (one mention per line) and a JSON array of mentions, both streamed. */
import { StringDecoder } from 'node:string_decoder';
import type { Mention } from '../core/mention.js';
import { mentionFromJson } from './json-record.js';
import type { ProblemReporter } from './problems.js';

/** What the JSON readers need besides the bytes. */
export interface JsonReadContext {
  problems: ProblemReporter;
  brandHandles: ReadonlySet<string>;
}

// JSON.parse messages end with "at position N" (or "line L column C" in newer V8); keep just the reason.
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
}

function parseRecord(text: string, line: number, ctx: JsonReadContext): Mention | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    ctx.problems.skip(line, `invalid JSON (${reason(err)})`);
    return undefined;
  }
  const result = mentionFromJson(value, ctx.brandHandles);
  if (result.error !== undefined) {
    ctx.problems.skip(line, result.error);
    return undefined;
  }
  return result.mention;
}

/**
 * Records longer than this (in characters) are skipped with a warning naming their line: parsing and analysing one
 * 200 MB line took minutes and about 65 times its size in memory. 4 Mi characters is 4 times the CSV reader's
 * limit and far above any post, review or comment a source returns.
 */
const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** Why a record over the limit was skipped, as the input's problems list says it. */
function tooLongReason(maxChars: number): string {
  return `a record longer than ${maxChars.toLocaleString('en-US')} characters`;
}

/**
 * The text of one record as it arrives in pieces, held as a list and joined once at its end (appending to a
 * growing string and re-scanning it was quadratic). Past `maxChars` its text is dropped, and only that it was too
 * long is kept, so a huge record costs no memory.
 */
class RecordText {
  private pieces: string[] = [];
  private size = 0;
  private over = false;
  constructor(private readonly maxChars: number) {}

  /** Nothing held: no text and not over the limit. */
  get empty(): boolean {
    return this.size === 0 && !this.over;
  }

  add(piece: string): void {
    if (piece === '' || this.over) return;
    if (this.size + piece.length > this.maxChars) {
      this.over = true;
      this.pieces = [];
      this.size = 0;
    } else {
      this.pieces.push(piece);
      this.size += piece.length;
    }
  }

  /** The record's whole text, or undefined when it was over the limit; either way the next record starts empty. */
  take(): string | undefined {
    const text = this.over ? undefined : this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join('');
    this.pieces = [];
    this.size = 0;
    this.over = false;
    return text;
  }
}

/**
 * Streams NDJSON: one JSON object per line (LF or CRLF); blank lines are allowed; memory holds one chunk and at
 * most one record at a time. A line over `maxChars` is skipped unread. Each chunk is scanned once: a line that
 * spans chunks is kept as pieces and joined when it ends (re-scanning a growing string from its start on every
 * chunk made one 200 MB line quadratic).
 * Lines are cut here rather than through splitLines: one generator step per mention instead of two.
 */
export async function* readNdjson(chunks: AsyncIterable<Buffer>, ctx: JsonReadContext, maxChars = MAX_RECORD_CHARS): AsyncGenerator<Mention> {
  const decoder = new StringDecoder('utf8');
  const current = new RecordText(maxChars); // the current line's text from earlier chunks
  let line = 0;
  const finishLine = (tail: string): Mention | undefined => {
    line += 1;
    current.add(tail);
    const text = current.take();
    if (text === undefined) {
      ctx.problems.skip(line, tooLongReason(maxChars));
      return undefined;
    }
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    return end > 0 ? parseLine(end === text.length ? text : text.slice(0, end), line, ctx) : undefined;
  };
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const mention = finishLine(text.slice(from, nl));
      from = nl + 1;
      if (mention) yield mention;
    }
    current.add(from === 0 ? text : text.slice(from));
  }
  current.add(decoder.end());
  if (!current.empty) {
    const mention = finishLine('');
    if (mention) yield mention;
  }
}

function parseLine(text: string, line: number, ctx: JsonReadContext): Mention | undefined {
  // Nearly every line starts with "{": only look for blanks when it does not.
  if (text.charCodeAt(0) !== 123 && text.trim() === '') return undefined;
  return parseRecord(text, line, ctx);
}

/** Where a JSON array sits inside a larger document (a report.json's `mentions`). */
export interface EnclosingDocument {
  /** Line of the document the array's `[` is on, so problems name the document's lines. */
  line: number;
}

/**
 * Streams a JSON array of mentions: a small scanner cuts the top-level elements apart (tracking strings and
 * nesting), so each element is parsed on its own, a bad one is skipped with its line number, and memory holds
 * one element at a time. Breaks in the array's own structure (no `[`, no closing `]`, text after it) end the read;
 * `within` an enclosing document, the read ends at the array's `]` and what follows is not looked at.
 */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>, ctx: JsonReadContext, within?: EnclosingDocument): AsyncGenerator<Mention> {
  const decoder = new StringDecoder('utf8');
  let line = within?.line ?? 1;
  let depth = 0; // 0 before `[`, 1 between elements, >1 inside one
  let closed = false;
  let inString = false;
  let escaped = false;
  // Text of the current element so far; over MAX_RECORD_CHARS its text is dropped, its structure still scanned.
  const element = new RecordText(MAX_RECORD_CHARS);
  let started = false; // the current element has a first character
  let elementLine = 0;
  let afterComma = false;

  const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

  function* finish(): Generator<Mention> {
    const text = element.take();
    const mention = text === undefined ? undefined : parseRecord(text, elementLine, ctx);
    started = false;
    if (text === undefined) ctx.problems.skip(elementLine, tooLongReason(MAX_RECORD_CHARS));
    if (mention) yield mention;
  }

  // Returns false when the read must end early.
  function* feed(text: string): Generator<Mention, boolean> {
    let from = started ? 0 : -1; // start in `text` of the current element's unsaved slice, or -1
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === 10) line += 1;
      if (closed) {
        // The rest of an enclosing document is its own business: stop at the array's end.
        if (within) return true;
        if (!isBlank(c)) {
          ctx.problems.stop(line, 'unexpected text after the closing "]" of the JSON array');
          return false;
        }
        continue;
      }
      if (depth === 0) {
        if (c === 91 /* [ */) depth = 1;
        else if (!isBlank(c)) throw ctx.problems.fatal(line, 'not a JSON array (expected "[")');
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92 /* \ */) escaped = true;
        else if (c === 34 /* " */) inString = false;
        continue;
      }
      if (depth === 1) {
        if (c === 44 /* , */ || c === 93 /* ] */) {
          if (started) {
            if (from >= 0) element.add(text.slice(from, i));
            from = -1;
            yield* finish();
          } else if (c === 44 || afterComma) {
            ctx.problems.skip(line, c === 44 ? 'empty array element' : 'trailing comma before "]"');
          }
          afterComma = c === 44;
          if (c === 93) {
            closed = true;
            depth = 0;
          }
          continue;
        }
        if (!started && !isBlank(c)) {
          started = true;
          elementLine = line;
          afterComma = false;
          from = i;
        }
      }
      if (c === 34) inString = true;
      else if (c === 123 /* { */ || c === 91 /* [ */) depth += 1;
      else if ((c === 125 /* } */ || c === 93) && depth > 1) depth -= 1;
    }
    if (from >= 0) element.add(text.slice(from));
    return true;
  }

  for await (const chunk of chunks) {
    if (!(yield* feed(decoder.write(chunk)))) return;
    if (closed && within) return;
  }
  if (!(yield* feed(decoder.end()))) return;
  if (!closed && depth === 0) throw ctx.problems.fatal(undefined, 'empty input (expected a JSON array)');
  if (!closed) {
    ctx.problems.stop(started ? elementLine : line, 'the JSON array is not closed (missing "]" or "}")');
  }
}
