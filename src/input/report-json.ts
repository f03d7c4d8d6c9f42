/**
 * Streaming access to earshot's own report.json, which can be larger than one JavaScript string may hold (a million
 * mentions make 1.25 GB; V8 caps a string at about 512 MB): a byte scanner finds the document's top-level members,
 * so `analyze` streams the `mentions` list element by element and `--compare` reads every other member while
 * skipping the mentions, without ever holding the whole document.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const COLON = 58;
const LF = 10;
const BOM = [0xef, 0xbb, 0xbf];

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A break in the document's top-level structure, with the line it was found on. */
export class ReportShapeError extends Error {
  constructor(
    readonly line: number,
    what: string,
  ) {
    super(what);
  }
}

/** What the scanner reports while it walks the top level of one JSON object. */
interface MemberEvents {
  /** The value of `key` starts at byte `at` of the current chunk, on `line`; return true to stop scanning there. */
  start(key: string, at: number, line: number): boolean;
  /** The value that started last ends just before byte `at` of the current chunk. */
  end(at: number): void;
}

type Phase = 'open' | 'key' | 'keyString' | 'colon' | 'value' | 'nested' | 'string' | 'scalar' | 'after' | 'closed';

/**
 * Walks a JSON object's bytes chunk by chunk and reports where each top-level member's value starts and ends. It
 * checks the top level only (keys, colons, commas, nesting depth, strings); values are parsed by whoever reads
 * them. UTF-8 never uses ASCII bytes inside a multi-byte character, so scanning bytes is safe.
 */
class TopLevelScanner {
  private phase: Phase = 'open';
  private depth = 0;
  private escaped = false;
  private key: number[] = [];
  private line = 1;
  /** Any byte seen yet (a byte order mark only counts before everything else). */
  private sawText = false;
  /** Bytes of a leading byte order mark seen so far. */
  private bom = 0;

  /** Scans `chunk`; returns the index where `start` asked to stop, or -1 when the chunk was scanned to its end. */
  scan(chunk: Uint8Array, on: MemberEvents): number {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (c === LF) this.line += 1;
      switch (this.phase) {
        case 'open':
          // A UTF-8 byte order mark before the document is not part of it (its bytes may come in separate chunks).
          if (this.bom < 3 && c === BOM[this.bom] && (this.bom > 0 || !this.sawText)) {
            this.bom += 1;
            this.sawText = true;
            break;
          }
          this.sawText = true;
          if (c === LBRACE) this.phase = 'key';
          else if (!isBlank(c)) throw this.broken('not a JSON object (expected "{")');
          break;
        case 'key':
          if (c === QUOTE) {
            this.phase = 'keyString';
            this.key = [];
          } else if (c === RBRACE) this.phase = 'closed';
          else if (!isBlank(c)) throw this.broken('expected a member name in quotes');
          break;
        case 'keyString':
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            this.phase = 'colon';
            break;
          }
          this.key.push(c);
          break;
        case 'colon':
          if (c === COLON) this.phase = 'value';
          else if (!isBlank(c)) throw this.broken(`expected ":" after "${this.keyText()}"`);
          break;
        case 'value':
          if (isBlank(c)) break;
          if (on.start(this.keyText(), i, this.line)) return i;
          if (c === LBRACE || c === LBRACKET) {
            this.phase = 'nested';
            this.depth = 1;
          } else if (c === QUOTE) this.phase = 'string';
          else if (c === COMMA || c === RBRACE || c === RBRACKET || c === COLON) throw this.broken(`no value for "${this.keyText()}"`);
          else this.phase = 'scalar';
          break;
        case 'nested':
          if (this.escaped) this.escaped = false;
          else if (this.depth < 0) {
            // Inside a string nested `-depth` levels down.
            if (c === BACKSLASH) this.escaped = true;
            else if (c === QUOTE) this.depth = -this.depth;
          } else if (c === QUOTE) this.depth = -this.depth;
          else if (c === LBRACE || c === LBRACKET) this.depth += 1;
          else if (c === RBRACE || c === RBRACKET) {
            this.depth -= 1;
            if (this.depth === 0) {
              on.end(i + 1);
              this.phase = 'after';
            }
          }
          break;
        case 'string':
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            on.end(i + 1);
            this.phase = 'after';
          }
          break;
        case 'scalar':
          if (c === COMMA || c === RBRACE || isBlank(c)) {
            on.end(i);
            this.phase = 'after';
            i -= 1; // the separator is read again as what follows the value
            if (c === LF) this.line -= 1;
          }
          break;
        case 'after':
          if (c === COMMA) this.phase = 'key';
          else if (c === RBRACE) this.phase = 'closed';
          else if (!isBlank(c)) throw this.broken(`expected "," or "}" after the value of "${this.keyText()}"`);
          break;
        case 'closed':
          if (!isBlank(c)) throw this.broken('unexpected text after the closing "}"');
          break;
      }
    }
    return -1;
  }

  /** Throws when the document ended inside its top-level object. */
  finish(): void {
    if (this.phase === 'open') throw this.broken('empty input (expected a JSON object)');
    if (this.phase !== 'closed') throw this.broken('the JSON document ends early (missing "}")');
  }

  private keyText(): string {
    const raw = Buffer.from(this.key).toString('utf8');
    try {
      return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    } catch {
      return raw;
    }
  }

  private broken(what: string): ReportShapeError {
    return new ReportShapeError(this.line, what);
  }
}

/**
 * The bytes of a report's `mentions` list, from its `[` on (the rest of the document follows; the array reader stops
 * at the list's closing `]`), and the line the list starts on. Undefined when the object has no `mentions` member.
 * Throws ReportShapeError when the top level breaks before the list, or the list is not a list.
 */
export async function reportMentionBytes(chunks: AsyncIterable<Buffer>): Promise<{ bytes: AsyncIterable<Buffer>; line: number } | undefined> {
  const it = chunks[Symbol.asyncIterator]();
  const scanner = new TopLevelScanner();
  let found: { at: number; line: number } | undefined;
  const events: MemberEvents = {
    start(key, at, line) {
      if (key !== 'mentions') return false;
      found = { at, line };
      return true;
    },
    end() {},
  };
  for (let next = await it.next(); !next.done; next = await it.next()) {
    const chunk = next.value;
    if (scanner.scan(chunk, events) < 0) continue;
    const { at, line } = found!;
    if (chunk[at] !== LBRACKET) throw new ReportShapeError(line, '"mentions" is not a list');
    const bytes = (async function* () {
      yield chunk.subarray(at);
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    })();
    return { bytes, line };
  }
  scanner.finish();
  return undefined;
}

/**
 * Every top-level member of a JSON object except the ones named in `skip`, parsed; skipped members are scanned past
 * without being held, so a report.json of any size can be read for its summary. Throws ReportShapeError for a broken
 * top level and SyntaxError (from JSON.parse) for a member value that does not parse.
 */
export async function readMembersExcept(chunks: AsyncIterable<Buffer>, skip: readonly string[]): Promise<Record<string, unknown>> {
  const scanner = new TopLevelScanner();
  const out: Record<string, unknown> = {};
  let key: string | undefined; // member being kept
  let pieces: Buffer[] = [];
  let chunk: Buffer = Buffer.alloc(0);
  let from = 0; // where the kept value starts in `chunk`
  const events: MemberEvents = {
    start(k, at) {
      if (!skip.includes(k)) {
        key = k;
        pieces = [];
        from = at;
      }
      return false;
    },
    end(at) {
      if (key === undefined) return;
      pieces.push(chunk.subarray(from, at));
      // Defined, not assigned: a member named "__proto__" is an own property in JSON.parse's result too.
      Object.defineProperty(out, key, { value: JSON.parse(Buffer.concat(pieces).toString('utf8')), enumerable: true, writable: true, configurable: true });
      key = undefined;
    },
  };
  for await (const next of chunks) {
    chunk = next;
    scanner.scan(chunk, events);
    if (key !== undefined) {
      // The value goes on into the next chunk, from its first byte.
      pieces.push(chunk.subarray(from));
      from = 0;
    }
  }
  scanner.finish();
  return out;
}
