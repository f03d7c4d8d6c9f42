/** Redirects: follow 3xx Location hops (each hop sent, and rate-limited, by the caller's hop function). */
import { BadResponseError } from '../core/errors.js';
import { isSecretHeader, isSecretParamIn } from './redact.js';
import type { RawResult, RequestContext } from './request.js';
import { advised } from './request.js';

/** Sends one hop (the request as it stands after earlier redirects) and resolves to its raw answer. */
export type Hop = (req: RequestContext, url: URL) => Promise<RawResult>;

/** Follow redirects from `ctx.url` until a non-redirect answer (returned as is, whatever its status). */
export async function followRedirects(ctx: RequestContext, maxRedirects: number, hop: Hop): Promise<RawResult> {
  let url = new URL(ctx.url);
  let req: RequestContext = { ...ctx, headers: { ...ctx.headers } };
  const seen = new Set<string>([url.toString()]);
  for (let hops = 0; ; hops += 1) {
    const res = await hop(req, url);
    if (!(res.status >= 300 && res.status < 400 && res.status !== 304)) return res;
    const next = redirectTarget(res, url, seen, hops, maxRedirects);
    seen.add(next.toString());
    ({ req, url } = requestForHop(req, res.status, url, next));
  }
}

/** Where a 3xx points, or a BadResponseError for no Location, a non-web scheme, a loop or too many hops. */
function redirectTarget(res: RawResult, url: URL, seen: ReadonlySet<string>, hops: number, maxRedirects: number): URL {
  const location = res.headers['location'];
  if (!location) {
    throw new BadResponseError(`${url.host} answered HTTP ${res.status} without a Location to follow`, { status: res.status });
  }
  let next: URL;
  try {
    next = new URL(location, url);
  } catch {
    // The server answered, with an address no client can follow: the same request would get the same answer.
    const shown = location.length > 200 ? `${location.slice(0, 200)}…` : location;
    throw advised(
      new BadResponseError(`${url.host} redirected (HTTP ${res.status}) to ${JSON.stringify(shown)}, which is not a valid URL`, { status: res.status }),
      "earshot cannot follow it and does not retry; check the source's base URL, and if it is right the service may have changed",
    );
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new BadResponseError(`${url.host} redirected to an unsupported URL scheme (${next.protocol})`, { status: res.status });
  }
  if (seen.has(next.toString()) || hops + 1 > maxRedirects) {
    throw new BadResponseError(`${url.host} redirected in a loop or more than ${maxRedirects} times`, { status: res.status });
  }
  return next;
}

/**
 * The request to send, and the URL to send it to, after a `status` redirect from `from` to `to`. This is the one place
 * a cross-origin hop is decided: nothing that authenticates the request travels to another origin (scheme, host or
 * port), and a request body (a login, a token exchange) is never re-sent there.
 */
function requestForHop(req: RequestContext, status: number, from: URL, to: URL): { req: RequestContext; url: URL } {
  let headers = req.headers;
  let { method, body } = req;
  let url = to;
  const crossOrigin = to.origin !== from.origin;
  if (crossOrigin && body !== undefined && (status === 307 || status === 308)) {
    // 307/308 mean "send the same request, body included": for a login that is the password, to a server we never chose.
    throw new BadResponseError(
      `${from.host} redirected a ${method} with a request body (a login or token exchange) to another origin (${to.host}, HTTP ${status}); earshot does not re-send credentials elsewhere, so check the source's base URL`,
      { status },
    );
  }
  if (crossOrigin) {
    headers = Object.fromEntries(Object.entries(headers).filter(([name, value]) => !isCredentialHeader(name, value, req.secrets)));
    url = withoutCredentials(to, req.secrets);
  }
  if (method === 'POST' && status !== 307 && status !== 308) {
    // 301/302/303 after a POST mean "now GET this"; browsers and curl do the same.
    method = 'GET';
    body = undefined;
    headers = { ...headers };
    delete headers['content-type'];
  }
  const next: RequestContext = { ...req, method, headers };
  if (body === undefined) delete next.body;
  else next.body = body;
  return { req: next, url };
}

/** A header that authenticates: secret by name (redact.ts's list), or carrying one of the request's secret values. */
function isCredentialHeader(name: string, value: string, secrets: readonly string[]): boolean {
  return isSecretHeader(name) || carriesSecret(value, secrets);
}

/**
 * `to` without what would authenticate us there: user:password, credential-named query parameters (`key`,
 * `access_token`, ...) and any parameter whose value holds one of the request's secrets. A server that copies the
 * query string into its Location would otherwise hand our key to whatever origin it names.
 */
function withoutCredentials(to: URL, secrets: readonly string[]): URL {
  const url = new URL(to);
  url.username = '';
  url.password = '';
  const params = new URLSearchParams(url.search);
  const drop = [...new Set(params.keys())].filter((name) => isSecretParamIn(name, params) || params.getAll(name).some((v) => carriesSecret(v, secrets)));
  if (drop.length > 0) {
    for (const name of drop) params.delete(name);
    url.search = params.toString();
  }
  return url;
}

/** True when `value` contains one of the secrets (values under 6 characters are never treated as secrets). */
function carriesSecret(value: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => s.length >= 6 && value.includes(s));
}
