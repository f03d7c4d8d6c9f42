/** Content-Encoding decoding with a cap on the decompressed size, and charset-aware text decoding. */
import { decodeAs, sniffCharset } from './charset.js';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { BadResponseError } from '../core/errors.js';
import { formatBytes } from './policy.js';
import { tooLarge } from './request.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

/** Undo every Content-Encoding (last applied first); never produces more than `cap` bytes (throws BadResponseError). */
export async function decompress(raw: Buffer, encoding: string | undefined, host: string, cap: number): Promise<Buffer> {
  if (!encoding || raw.length === 0) return raw;
  let out = raw;
  const codings = encoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  try {
    for (const coding of codings) {
      if (coding === 'gzip' || coding === 'x-gzip') out = await gunzipAsync(out, { maxOutputLength: cap });
      else if (coding === 'br') out = await brotliAsync(out, { maxOutputLength: cap });
      else if (coding === 'deflate') {
        // Some servers send raw deflate without the zlib wrapper the spec asks for.
        try {
          out = await inflateAsync(out, { maxOutputLength: cap });
        } catch (err) {
          if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw err;
          out = await inflateRawAsync(out, { maxOutputLength: cap });
        }
      } else throw new BadResponseError(`${host} used an unsupported content encoding "${coding}"`);
    }
  } catch (err) {
    if (err instanceof BadResponseError) throw err;
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(`${host} sent a body of more than the ${formatBytes(cap)} limit on one response once decompressed`);
    }
    // A corrupt or cut-off compressed stream is usually a transient transfer problem.
    throw new BadResponseError(`${host} sent a compressed body that could not be decompressed (${(err as Error).message})`, { retryable: true, cause: err });
  }
  return out;
}

/** Bytes to text in the charset the body is in (src/http/charset.ts: BOM, Content-Type, the document's own declaration, UTF-8). */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  // TextDecoder drops a BOM that matches its encoding, so a UTF-8 BOM never reaches a parser.
  return decodeAs(bytes, sniffCharset(bytes, contentType));
}
