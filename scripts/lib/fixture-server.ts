/**
 * A real HTTP server on 127.0.0.1 (random port) serving recorded-shape fixtures, with fault injection
 * (latency, 429 + Retry-After, 5xx, hangs, resets, truncated and malformed bodies, redirect loops) and a log
 * of every request, so tests exercise the real client over real sockets.
 *
 * Fixture folders use `routes.json`:
 *   {"routes":[{"path":"/search.rss","query":{"q":"acme cloud"},"status":200,
 *               "headers":{"content-type":"application/atom+xml; charset=UTF-8"},"file":"search.xml"}]}
 * `path` matches exactly, `query` lists params that must all be present with equal values (others ignored),
 * first match wins. A route may give `body` (inline text) instead of `file`, a `method` (default GET), and
 * `encoding: "gzip"` to send the body gzip-compressed when the client accepts it.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, isAbsolute, join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

/** A response to serve. */
interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Inline body. */
  body?: string | Buffer;
  /** Body from a file (absolute, or relative to the server's baseDir / the routes.json folder). */
  file?: string;
  /** Compress with this coding when the request's Accept-Encoding allows it. */
  encoding?: 'gzip' | 'br' | 'deflate';
}

/** One route in the routes.json format. */
export interface FixtureRoute extends FixtureResponse {
  /** Exact pathname, e.g. `/search.json`. */
  path: string;
  /** Params that must all be present with these values; others are ignored. */
  query?: Record<string, string>;
  /** HTTP method (default GET). */
  method?: string;
}

/** What the server saw. */
export interface RecordedRequest {
  method: string;
  /** Path plus query, as sent. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** Requests being handled at that moment, this one included. */
  concurrent: number;
}

/** A fault to inject instead of (or, for latency, before) the normal answer. */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'rate-limit'; retryAfter?: string | number; headers?: Record<string, string>; body?: string }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Send headers and the first `bytes` of the body, then go silent. */
  | { kind: 'hang-body'; bytes?: number }
  /** Send headers and the first `afterBytes` of the body, then destroy the socket. */
  | { kind: 'reset'; afterBytes?: number }
  /** Destroy the socket before any response. */
  | { kind: 'reset-before-headers' }
  /** Declare the full Content-Length, send `sendBytes`, then end the connection. */
  | { kind: 'truncate'; sendBytes?: number }
  /** 200 with a body that is not what the route serves (default: cut-off JSON). */
  | { kind: 'malformed'; body?: string; contentType?: string }
  /** 302 back to the same URL, forever. */
  | { kind: 'redirect-loop' }
  | { kind: 'redirect'; location: string; status?: number };

/** Which requests a fault applies to. */
type RequestMatcher = string | RegExp | ((req: RecordedRequest) => boolean);

/** A fault rule: for matching requests (all when `match` is absent), the next `times` of them (default: always). */
export interface FaultRule {
  match?: RequestMatcher;
  fault: Fault;
  times?: number;
}

/** Server options. */
export interface FixtureServerOptions {
  /** Exact `path?query` → response (or a function of the request); checked before `routes`. */
  exact?: Record<string, FixtureResponse | ((req: RecordedRequest) => FixtureResponse)>;
  /** routes.json-style routes, first match wins. */
  routes?: FixtureRoute[];
  /** Last resort before 404. */
  handler?: (req: RecordedRequest) => FixtureResponse | undefined;
  faults?: FaultRule[];
  /** Folder that relative `file` paths are read from. */
  baseDir?: string;
  /** Compress every body with this coding when accepted (routes may still set their own). */
  compress?: 'gzip' | 'br' | 'deflate';
}

/** A running server. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Highest number of requests handled at once so far. */
  maxConcurrent(): number;
  /** Requests that matched no route (handy in failing tests). */
  unmatched: RecordedRequest[];
  addRoute(route: FixtureRoute): void;
  /** Inject a fault (see FaultRule). */
  fault(rule: FaultRule): void;
  clearFaults(): void;
  /** Forget recorded requests (routes and faults stay). */
  resetLog(): void;
  /** Requests whose path (or path+query) equals `pathOrUrl`. */
  requestsTo(pathOrUrl: string): RecordedRequest[];
  /** Stop listening and destroy open sockets (hung requests included). */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Load `<dir>/routes.json` into routes whose files resolve against `dir`. */
function loadFixtureRoutes(dir: string): FixtureRoute[] {
  const parsed = JSON.parse(readFileSync(join(dir, 'routes.json'), 'utf8')) as { routes?: FixtureRoute[] };
  if (!parsed || !Array.isArray(parsed.routes)) throw new Error(`${dir}/routes.json has no "routes" array`);
  return parsed.routes.map((r) => ({ ...r, ...(r.file && !isAbsolute(r.file) ? { file: join(dir, r.file) } : {}) }));
}

/** Serve one or more fixture folders (each with a routes.json), e.g. `fixtures/sources/reddit`. */
export function serveFixtureDir(
  dirs: string | readonly string[],
  options: Omit<FixtureServerOptions, 'routes'> & { routes?: FixtureRoute[] } = {},
): Promise<FixtureServer> {
  const list = typeof dirs === 'string' ? [dirs] : dirs;
  const routes = [...(options.routes ?? []), ...list.flatMap((d) => loadFixtureRoutes(d))];
  return startFixtureServer({ ...options, routes });
}

function matches(matcher: RequestMatcher | undefined, req: RecordedRequest): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return req.url === matcher || req.path === matcher;
  if (matcher instanceof RegExp) return matcher.test(req.url);
  return matcher(req);
}

function routeMatches(route: FixtureRoute, req: RecordedRequest): boolean {
  if ((route.method ?? 'GET').toUpperCase() !== req.method) return false;
  if (route.path !== req.path) return false;
  for (const [k, v] of Object.entries(route.query ?? {})) if (req.query[k] !== String(v)) return false;
  return true;
}

/** Start a server on 127.0.0.1 with a random free port. */
export async function startFixtureServer(options: FixtureServerOptions = {}): Promise<FixtureServer> {
  const routes = [...(options.routes ?? [])];
  const faults: { rule: FaultRule; remaining: number }[] = (options.faults ?? []).map((rule) => ({
    rule,
    remaining: rule.times ?? Number.POSITIVE_INFINITY,
  }));
  const requests: RecordedRequest[] = [];
  const unmatched: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let active = 0;
  let maxActive = 0;

  const bodyOf = (r: FixtureResponse): Buffer => {
    if (r.body !== undefined) return Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
    if (r.file !== undefined) {
      const path = isAbsolute(r.file) || !options.baseDir ? r.file : join(options.baseDir, r.file);
      return readFileSync(path);
    }
    return Buffer.alloc(0);
  };

  const resolve = (req: RecordedRequest): FixtureResponse | undefined => {
    const exact = options.exact?.[req.url];
    if (exact) return typeof exact === 'function' ? exact(req) : exact;
    const route = routes.find((r) => routeMatches(r, req));
    if (route) return route;
    return options.handler?.(req);
  };

  /** Status, headers and (possibly compressed) body for a request, conditional requests honoured. */
  const prepare = (req: RecordedRequest): { status: number; headers: Record<string, string>; body: Buffer } => {
    const found = resolve(req);
    if (!found) {
      unmatched.push(req);
      return {
        status: 404,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(JSON.stringify({ error: `no fixture for ${req.method} ${req.url}` })),
      };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(found.headers ?? {})) headers[k.toLowerCase()] = v;
    if (!headers['content-type']) {
      const ext = found.file ? extname(found.file).toLowerCase() : '';
      headers['content-type'] = TYPES[ext] ?? 'text/plain; charset=utf-8';
    }
    const status = found.status ?? 200;
    if (status === 200) {
      const etag = headers['etag'];
      const inm = req.headers['if-none-match'];
      const lm = headers['last-modified'];
      const ims = req.headers['if-modified-since'];
      if ((etag && inm && inm.split(',').map((s) => s.trim()).includes(etag)) || (!inm && lm && ims && Date.parse(ims) >= Date.parse(lm))) {
        const h: Record<string, string> = {};
        if (etag) h['etag'] = etag;
        if (lm) h['last-modified'] = lm;
        return { status: 304, headers: h, body: Buffer.alloc(0) };
      }
    }
    let body = bodyOf(found);
    const coding = found.encoding ?? options.compress;
    const accepts = (req.headers['accept-encoding'] ?? '').toLowerCase();
    if (coding && accepts.includes(coding) && body.length > 0) {
      body = coding === 'gzip' ? gzipSync(body) : coding === 'br' ? brotliCompressSync(body) : deflateSync(body);
      headers['content-encoding'] = coding;
    }
    return { status, headers, body };
  };

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void => {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  };

  const handle = async (incoming: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> => {
    let fault: Fault | undefined;
    for (const f of faults) {
      if (f.remaining <= 0 || !matches(f.rule.match, rec)) continue;
      if (f.rule.fault.kind === 'latency') {
        f.remaining -= 1;
        await new Promise((r) => setTimeout(r, (f.rule.fault as { ms: number }).ms));
        continue;
      }
      f.remaining -= 1;
      fault = f.rule.fault;
      break;
    }
    void incoming;
    if (!fault) {
      const { status, headers, body } = prepare(rec);
      send(res, status, headers, body);
      return;
    }
    switch (fault.kind) {
      case 'status':
        send(res, fault.status, { 'content-type': 'text/plain; charset=utf-8', ...(fault.headers ?? {}) }, Buffer.from(fault.body ?? `HTTP ${fault.status}`));
        return;
      case 'rate-limit': {
        const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(fault.headers ?? {}) };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        send(res, 429, headers, Buffer.from(fault.body ?? '{"message":"Too Many Requests","error":429}'));
        return;
      }
      case 'hang':
        return;
      case 'hang-body': {
        const { status, headers, body } = prepare(rec);
        res.writeHead(status, { ...headers, 'content-length': String(body.length) });
        res.write(body.subarray(0, Math.min(body.length - 1, fault.bytes ?? Math.floor(body.length / 2))));
        return;
      }
      case 'reset': {
        const { status, headers, body } = prepare(rec);
        res.writeHead(status, { ...headers, 'content-length': String(body.length) });
        const part = body.subarray(0, Math.min(body.length - 1, fault.afterBytes ?? Math.floor(body.length / 2)));
        res.write(part, () => setTimeout(() => res.socket?.destroy(), 20));
        return;
      }
      case 'reset-before-headers':
        res.socket?.destroy();
        return;
      case 'truncate': {
        const { status, headers, body } = prepare(rec);
        res.writeHead(status, { ...headers, 'content-length': String(body.length) });
        const part = body.subarray(0, Math.min(body.length - 1, fault.sendBytes ?? Math.floor(body.length / 2)));
        // End the TCP stream (FIN, not RST) after fewer bytes than declared.
        res.write(part, () => res.socket?.end());
        return;
      }
      case 'malformed':
        send(res, 200, { 'content-type': fault.contentType ?? 'application/json; charset=utf-8' }, Buffer.from(fault.body ?? '{"data":{"children":[{"kind":"t3","data":{"id":'));
        return;
      case 'redirect-loop':
        send(res, 302, { location: rec.url }, Buffer.alloc(0));
        return;
      case 'redirect':
        send(res, fault.status ?? 302, { location: fault.location }, Buffer.alloc(0));
        return;
      default:
        return;
    }
  };

  const server = createServer((incoming, res) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const url = incoming.url ?? '/';
      const parsed = new URL(url, 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(incoming.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      active += 1;
      maxActive = Math.max(maxActive, active);
      const rec: RecordedRequest = {
        method: (incoming.method ?? 'GET').toUpperCase(),
        url,
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        concurrent: active,
      };
      requests.push(rec);
      let done = false;
      const finish = (): void => {
        if (!done) {
          done = true;
          active -= 1;
        }
      };
      res.on('close', finish);
      res.on('finish', finish);
      handle(incoming, res, rec).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, Buffer.from(`fixture server error: ${String(err)}`));
        else res.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fixture server has no TCP address');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    unmatched,
    maxConcurrent: () => maxActive,
    addRoute: (route) => routes.push(route),
    fault: (rule) => faults.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }),
    clearFaults: () => {
      faults.length = 0;
    },
    resetLog: () => {
      requests.length = 0;
      unmatched.length = 0;
      maxActive = active;
    },
    requestsTo: (pathOrUrl) => requests.filter((r) => r.url === pathOrUrl || r.path === pathOrUrl),
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}
