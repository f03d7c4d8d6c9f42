/** Internal shapes the client's pieces pass between them, and header helpers they share. */

/** One network answer before classification: final URL, status, lower-cased headers and the decoded body. */
export interface RawResult {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request as the pieces see it (headers lower-cased, secrets collected for redaction). */
export interface RequestContext {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  sourceId: string | undefined;
  signal: AbortSignal | undefined;
  secrets: string[];
}

/** The first string `code` on an error or its causes (undici nests them), skipping undici's generic one. */
export function errorCodeOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** undici's header record flattened to lower-case names and single string values. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** A copy of `headers` with lower-case names. */
export function lowerKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** The first letter upper-cased (pieces phrase reasons in lower case; messages start a sentence). */
export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}
