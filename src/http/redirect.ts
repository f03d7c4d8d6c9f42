/** Redirects: follow 3xx Location hops (each hop sent, and rate-limited, by the caller's hop function). */
import { BadResponseError } from '../core/errors.js';
import type { RawResult, RequestContext } from './request.js';

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
    req = requestForHop(req, res.status, url, next);
    url = next;
  }
}

/** Where a 3xx points, or a BadResponseError for no Location, a non-web scheme, a loop or too many hops. */
function redirectTarget(res: RawResult, url: URL, seen: ReadonlySet<string>, hops: number, maxRedirects: number): URL {
  const location = res.headers['location'];
  if (!location) {
    throw new BadResponseError(`${url.host} answered HTTP ${res.status} without a Location to follow`, { status: res.status });
  }
  const next = new URL(location, url);
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new BadResponseError(`${url.host} redirected to an unsupported URL scheme (${next.protocol})`, { status: res.status });
  }
  if (seen.has(next.toString()) || hops + 1 > maxRedirects) {
    throw new BadResponseError(`${url.host} redirected in a loop or more than ${maxRedirects} times`, { status: res.status });
  }
  return next;
}

/**
 * The request to send to `to` after a `status` redirect from `from`. This is the one place a cross-origin hop is
 * decided: what may travel to another origin (today: everything but credentials) belongs here.
 */
function requestForHop(req: RequestContext, status: number, from: URL, to: URL): RequestContext {
  let headers = req.headers;
  let { method, body } = req;
  if (to.origin !== from.origin) {
    // Never carry credentials to another origin.
    headers = Object.fromEntries(Object.entries(headers).filter(([n]) => !/^(authorization|cookie|proxy-authorization)$/i.test(n)));
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
  return next;
}
