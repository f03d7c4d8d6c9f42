/** URL helpers shared by the sources' fetch and parse parts. */

/** Joins a base URL (which may carry a path prefix) and an absolute path. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/**
 * Moves a URL the service handed back (a `Link: rel="next"`, a `comments_url`) onto the base URL in force,
 * so that an overridden base (a fixture server, a GitHub Enterprise host) is never bypassed.
 */
export function rebaseUrl(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  const target = new URL(url, base);
  if (target.origin === base.origin) return target.toString();
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = prefix !== '' && !target.pathname.startsWith(`${prefix}/`) ? prefix + target.pathname : target.pathname;
  return base.origin + path + target.search;
}

/** Case-insensitive header lookup. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** `YYYY-MM-DD` of a date in UTC (the day granularity forum and GitHub search filters take). */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Host (with port) of a URL, or undefined when it is missing or not a URL; callers choose their own fallback. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
