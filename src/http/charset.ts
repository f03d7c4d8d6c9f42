/**
 * Which character set a text body is in, in the order the WHATWG Encoding and HTML standards (and RFC 7303 for XML)
 * give: a byte-order mark, then the Content-Type's charset, then the document's own declaration (the XML
 * declaration's `encoding`, or an HTML `<meta charset>` / `http-equiv` tag in the first 1024 bytes), then UTF-8.
 */

/** Encodings the BOM names, by the bytes that start the body. */
function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** A label TextDecoder knows, normalised (`ISO-8859-1` → `windows-1252`, as browsers read it), else undefined. */
function known(label: string | undefined): string | undefined {
  if (label === undefined || label.trim() === '') return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** The charset parameter of a Content-Type, if it names one. */
function headerCharset(contentType: string | undefined): string | undefined {
  return /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '')?.[1];
}

/** The document's own declaration, read from its first 1024 bytes as ASCII (every label is ASCII). */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const xml = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (xml) return xml[1];
  const meta = /<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return meta?.[1];
}

/** The encoding to decode a text body with (a TextDecoder label), following the standard order. */
export function sniffCharset(bytes: Uint8Array, contentType: string | undefined): string {
  const bom = bomEncoding(bytes);
  if (bom) return bom;
  const fromHeader = known(headerCharset(contentType));
  if (fromHeader) return fromHeader;
  const declared = known(declaredCharset(bytes));
  // A document cannot declare itself UTF-16 in ASCII bytes it is not written in (HTML §13.2.3.2): read as UTF-8.
  if (declared && !declared.startsWith('utf-16')) return declared;
  return 'utf-8';
}

/** windows-1252's 0x80–0x9F (undefined bytes stay as they are, as the Encoding standard maps them). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Bytes to text in `encoding`. windows-1252 (what every ISO-8859-1 label means on the web) is decoded here: Node
 * before 23 decodes its 0x80–0x9F as C1 controls, so curly quotes and dashes would vanish as control characters.
 */
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  if (encoding !== 'windows-1252') return new TextDecoder(encoding).decode(bytes);
  return Buffer.from(bytes).toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}
