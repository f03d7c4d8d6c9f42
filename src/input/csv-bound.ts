/**
 * A linear pre-pass that cuts over-long CSV records short before csv-parse sees them. csv-parse's `max_record_size`
 * ends the whole parse at the first record over it (the rows after a 200 MB line were lost, and reading on took a
 * minute), so here a record that grows past the limit gets a marker cell in place of the rest of its text, which
 * the row reader reports as a skipped record on the line it started on. Text is passed on as it arrives (csv-parse
 * looks ahead before ending a record, and rows must stream), and each character is looked at once.
 */
import { StringDecoder } from 'node:string_decoder';

/**
 * Starts the quoted cell that stands for the dropped rest of a record over the limit. It is followed by the number
 * of line breaks dropped (so the lines after it keep their numbers) and, when the record was a quoted cell still
 * open at the end of the input, by `UNCLOSED`.
 */
export const OVERSIZED_MARK = '\u0000earshot: record over the size limit\u0000';
/** Ends the marker cell of a record that was a quoted cell still open at the end of the input. */
export const UNCLOSED = ' unclosed';

/** Where the scan is: at a cell's start, in an unquoted or a quoted cell, or just after a `"` inside a quoted one. */
const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, QuoteInQuoted: 3 } as const;
type State = (typeof State)[keyof typeof State];

const ANY_SPECIAL = /[",\r\n]/g;
const QUOTED_SPECIAL = /["\r\n]/g;

/**
 * Yields the input's text with every record longer than `maxChars` cut at the limit and ended by a marker cell
 * (`OVERSIZED_MARK`, the count of line breaks dropped, and `UNCLOSED` when the input ended inside its quotes).
 * Quoting is read as csv-parse reads it with `relax_quotes`: a quote opens a cell only at the cell's start.
 */
export async function* boundCsvRecords(chunks: AsyncIterable<Buffer>, maxChars: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let state: State = State.FieldStart;
  let first = true;
  /** Characters of the current record so far (line breaks inside its quotes included). */
  let size = 0;
  /** Past the limit: the rest of the record is dropped until its end. */
  let dropping = false;
  /** Line breaks dropped from the current record; `\r\n` is one. */
  let dropped = 0;
  let lastCR = false;

  /** Where csv-parse is left when the text is cut: it must be inside a quoted cell to read the marker whole. */
  const cut = (at: State): string => `${at === State.Quoted ? '' : at === State.FieldStart ? '"' : ',"'}${OVERSIZED_MARK}`;

  function feed(text: string): string {
    let i = 0;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    const out: string[] = [];
    /** Start of the text not yet passed on (or dropped), and the scan state there. */
    let from = 0;
    let fromState: State = state;
    /** Passes on text up to `to`, cutting the record at the limit. */
    const pass = (to: number): void => {
      if (dropping) {
        from = to;
        return;
      }
      if (size + (to - from) > maxChars) {
        const keep = from + (maxChars - size);
        out.push(text.slice(from, keep));
        // The state where the cut falls decides how the marker cell opens; scanning goes on from there.
        out.push(cut(stateAt(text, from, keep)));
        // No record ends before `to`, so every line break after the cut is inside quotes: counted, not passed on.
        dropped += countBreaks(text.slice(keep, to));
        dropping = true;
        from = to;
        return;
      }
      out.push(text.slice(from, to));
      size += to - from;
      from = to;
    };
    // The state at `end`, scanned from `start` (run once per record cut, so at most `maxChars` characters).
    const stateAt = (t: string, start: number, end: number): State => {
      let s: State = fromState;
      for (let k = start; k < end; k += 1) s = step(s, t.charCodeAt(k));
      return s;
    };
    while (i < text.length) {
      const re = state === State.Quoted ? QUOTED_SPECIAL : ANY_SPECIAL;
      re.lastIndex = i;
      const m = re.exec(text);
      const at = m === null ? text.length : m.index;
      if (at > i) {
        state = step(state, 120 /* any ordinary character */);
        lastCR = false;
      }
      if (m === null) break;
      const c = text.charCodeAt(at);
      i = at + 1;
      if ((c === 10 || c === 13) && state !== State.Quoted) {
        // The record ends: cut or not, its line break is passed on.
        pass(at);
        if (dropping) out.push(`${dropped}"`);
        out.push(text[at]!);
        from = at + 1;
        fromState = State.FieldStart;
        size = 0;
        dropping = false;
        dropped = 0;
        state = State.FieldStart;
        lastCR = c === 13;
        continue;
      }
      if (c === 10 || c === 13) {
        if (dropping && !(c === 10 && lastCR)) dropped += 1;
        lastCR = c === 13;
      } else lastCR = false;
      state = step(state, c);
    }
    pass(text.length);
    return out.join('');
  }

  for await (const chunk of chunks) {
    const text = feed(decoder.write(chunk));
    if (text !== '') yield text;
  }
  let rest = feed(decoder.end());
  if (dropping) rest += `${dropped}${(state as State) === State.Quoted ? UNCLOSED : ''}"`;
  if (rest !== '') yield rest;
}

/** The scan state after one character (line breaks inside quotes included; those outside end the record). */
function step(state: State, c: number): State {
  if (c === 34 /* " */) {
    if (state === State.FieldStart) return State.Quoted;
    if (state === State.Quoted) return State.QuoteInQuoted;
    if (state === State.QuoteInQuoted) return State.Quoted;
    return State.Unquoted;
  }
  if (state === State.Quoted) return State.Quoted;
  if (c === 44 /* , */ || c === 10 || c === 13) return State.FieldStart;
  return State.Unquoted;
}

/** Line breaks in `text`; `\r\n` is one. */
export function countBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 10) n += 1;
    else if (c === 13) {
      n += 1;
      if (text.charCodeAt(i + 1) === 10) i += 1;
    }
  }
  return n;
}
