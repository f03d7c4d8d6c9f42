/** Test helper: run the input readers over text, bytes or chunk lists and collect everything. */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { memoryLogger } from '../../../src/core/log.js';
import type { Mention } from '../../../src/core/mention.js';
import { openMentions } from '../../../src/input/index.js';
import type { OpenedInput, ReadOptions } from '../../../src/input/index.js';

/** Absolute path of a file in fixtures/input. */
function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../fixtures/input/${name}`, import.meta.url));
}

/** The bytes of a fixture. */
export function fixture(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

/** Splits bytes into chunks of `size` (1 = byte by byte, to cross every UTF-8 and CRLF boundary). */
export function chunked(data: string | Buffer, size: number): Buffer[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Everything one read produced. */
export interface ReadResult {
  opened: OpenedInput;
  mentions: Mention[];
  warnings: string[];
}

/** Reads `data` (one string/Buffer, or a list of chunks) with the given options and collects the result. */
export async function readAll(
  data: string | Buffer | Buffer[],
  options: Partial<ReadOptions> = {},
): Promise<ReadResult> {
  const log = memoryLogger();
  const chunks = Array.isArray(data) ? data : [typeof data === 'string' ? Buffer.from(data, 'utf8') : data];
  const opened = await openMentions(Readable.from(chunks), { fileName: 'in.txt', log, ...options });
  const mentions: Mention[] = [];
  for await (const m of opened.mentions) mentions.push(m);
  return { opened, mentions, warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}
