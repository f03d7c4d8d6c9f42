/**
 * Issue 15 item 3, byte for byte: the charset golden pairs (a feed that names ISO-8859-1 only in its XML declaration,
 * a page that names it only in <meta http-equiv>, another only in an HTML5 <meta charset>) are served as the single-byte text they declare, with a Content-Type
 * naming no charset, and what the real client hands the parser must parse to the golden expected output exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../scripts/lib/fixture-server.js';
import { createHttpClient } from '../../../src/http/index.js';
import { SOURCES } from '../../../src/sources/index.js';
import { goldenCases, goldenText } from '../../helpers/golden.js';

// The ISO-8859-1 label means windows-1252 (WHATWG Encoding): these are the characters real pages write in 0x80–0x9F.
const CP1252: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };

/** The text as windows-1252 bytes; a character the charset cannot hold fails the test (the fixture must stay honest). */
function cp1252(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else if (CP1252[ch] !== undefined) bytes.push(CP1252[ch]);
    else throw new Error(`U+${code.toString(16)} (${ch}) has no windows-1252 byte: write it as a character reference`);
  }
  return Buffer.from(bytes);
}

const CASES = [
  { source: 'rss', label: 'feed', name: 'latin1-declared', type: 'application/rss+xml' },
  { source: 'selectors', label: 'page', name: 'meta-charset-only', type: 'text/html' },
  { source: 'selectors', label: 'page', name: 'meta-charset-html5', type: 'text/html' },
] as const;

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  for (const c of CASES) {
    const golden = goldenCases(SOURCES[c.source]!).find((g) => g.label === c.label && g.name === c.name)!;
    server.addRoute({ path: `/${c.name}`, headers: { 'content-type': c.type }, body: cp1252(golden.body) });
  }
});
afterAll(() => server.close());

describe.each(CASES)('$source golden $label/$name served in its declared charset', (c) => {
  it('decodes to the same text and parses to the golden expected output', async () => {
    const source = SOURCES[c.source]!;
    const golden = goldenCases(source).find((g) => g.label === c.label && g.name === c.name)!;
    const http = createHttpClient({ retry: { maxAttempts: 1 } });
    try {
      const res = await http.get(`${server.url}/${c.name}`);
      // Decoded as UTF-8 (the old behaviour) every accented letter would be U+FFFD.
      expect(res.body).not.toContain('\uFFFD');
      expect(res.body).toBe(golden.body);
      const expected = readFileSync(join(golden.expectedPath), 'utf8');
      expect(goldenText(source.parsers[c.label]!(res.body, golden.ctx))).toBe(expected);
    } finally {
      await http.close();
    }
  });
});
