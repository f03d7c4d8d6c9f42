/** Byte-level helpers: drop a UTF-8 BOM, peek at the first significant character, split lines, all streaming. */
import type { Readable } from 'node:stream';

/** The input after peeking: the first non-blank character and every byte still to read (BOM removed). */
export interface PeekedInput {
  /** First character that is not whitespace, or undefined for an empty/blank input. */
  first: string | undefined;
  /** Single-use stream of the whole input without its BOM, starting with the bytes that were peeked. */
  chunks: AsyncIterable<Buffer>;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function isBlankByte(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('input stream must yield bytes or strings');
}

/**
 * Reads just enough of `input` to see its first significant character; nothing is lost for the real read.
 * `wrapError` turns a failure of the stream itself (unreadable file, broken pipe) into a typed error.
 */
export async function peekInput(input: Readable, wrapError: (err: unknown) => Error): Promise<PeekedInput> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const it = {
    async next(): Promise<IteratorResult<unknown>> {
      try {
        return await source.next();
      } catch (err) {
        throw wrapError(err);
      }
    },
    return: async (): Promise<void> => {
      await source.return?.();
    },
  };
  let head = Buffer.alloc(0);
  let done = false;
  let first: string | undefined;
  // Keep reading while the head is only (part of) a BOM and blanks.
  for (;;) {
    let start = 0;
    if (head.length >= 3 && head.subarray(0, 3).equals(BOM)) start = 3;
    else if (head.length < 3 && BOM.subarray(0, head.length).equals(head) && !done) start = -1; // maybe a split BOM
    if (start >= 0) {
      let i = start;
      while (i < head.length && isBlankByte(head[i]!)) i += 1;
      if (i < head.length) {
        // Decode a few bytes so a multi-byte first character comes out whole (it only matters that it is not [ or {).
        first = head.subarray(i, i + 4).toString('utf8').charAt(0);
        head = head.subarray(start);
        break;
      }
      if (done) {
        head = head.subarray(start);
        break;
      }
    }
    if (done) break;
    const next = await it.next();
    if (next.done) done = true;
    else head = Buffer.concat([head, toBuffer(next.value)]);
  }
  const finished = done;
  const rest = head;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (rest.length > 0) yield rest;
      if (finished) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield toBuffer(next.value);
      }
    } finally {
      // Stopping early (an error, a strict failure) must release the underlying stream.
      await it.return();
    }
  }
  return { first, chunks: chunks() };
}
