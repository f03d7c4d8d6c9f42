/** Redaction of secrets from URLs, headers and free text, applied to every log line, error message and manifest. */
import type { Logger } from '../core/log.js';

/** Placeholder written where a secret was. */
const REDACTED = 'REDACTED';

// Query parameter names that carry credentials. Names are split into words (snake, kebab, camel case) so
// `access_token`, `api_key`, `client_secret`, `apiKey` and `password` are caught but `keywords` or `author` are not.
const SECRET_WORDS = new Set([
  'token', 'key', 'apikey', 'secret', 'password', 'passwd', 'pwd', 'pass', 'signature', 'sig',
  'auth', 'session', 'sessionid', 'sid', 'credential', 'credentials', 'jwt', 'bearer', 'cookie',
]);
const SECRET_SUBSTRING = /token|secret|password|passwd/i;

// Header names whose values are credentials.
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|api-username|x-auth-token)$/i;

/** True when a query parameter name looks like it carries a credential. */
export function isSecretParam(name: string): boolean {
  if (SECRET_SUBSTRING.test(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  return words.some((w) => SECRET_WORDS.has(w));
}

/**
 * True when parameter `name` carries a credential in a URL whose parameters are `params`: a credential-like name, or
 * the pair of Reddit's private feed links (`?feed=<token>&user=<name>`, from the preferences page). `feed` alone is
 * a format (WordPress's `?feed=rss2`), so the pair is secret only together.
 */
export function isSecretParamIn(name: string, params: URLSearchParams): boolean {
  return isSecretParam(name) || ((name === 'feed' || name === 'user') && params.has('feed') && params.has('user'));
}

/**
 * Query parameters that say who is asking rather than prove it (the `user=` of a private feed link): redacted in
 * URLs, but not cut out of answers, where the same name may be the author of posts.
 */
function isIdentityParam(name: string): boolean {
  return name === 'user';
}

/** True when a header's value is a credential (by its name: Authorization, cookies, API keys and usernames, tokens). */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name) || /token|secret|password/i.test(name);
}

/** The URL with credential-like query values, userinfo passwords and fragments replaced; unparsable input is redacted textually. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  if (parsed.password) parsed.password = REDACTED;
  if (parsed.username && parsed.password) parsed.username = REDACTED;
  let changed = false;
  const params = new URLSearchParams(parsed.search);
  for (const name of new Set(params.keys())) {
    if (isSecretParamIn(name, params)) {
      params.set(name, REDACTED);
      changed = true;
    }
  }
  if (changed) {
    // Keep the original order and encoding of untouched parameters: rebuild by hand.
    const parts = parsed.search
      .replace(/^\?/, '')
      .split('&')
      .filter((p) => p.length > 0)
      .map((p) => {
        const eq = p.indexOf('=');
        const rawName = eq >= 0 ? p.slice(0, eq) : p;
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          /* keep raw */
        }
        return isSecretParamIn(name, params) ? `${rawName}=${REDACTED}` : p;
      });
    parsed.search = parts.length > 0 ? `?${parts.join('&')}` : '';
  }
  return parsed.toString();
}

/** A copy of the headers with credential values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretHeader(name) ? REDACTED : value;
  }
  return out;
}

/** Free text with known secret values and `name=value` credential pairs replaced (a value ends at `>`, so a Link header's `<…&key=…>; rel` keeps its shape). */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; credentials are never that short.
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(
    /([?&;\s]|^)((?:[A-Za-z0-9_.-]*(?:token|secret|password|passwd|api_?key|api-key)[A-Za-z0-9_.-]*)|key|sig|signature)=([^&\s#"'<>]+)/gi,
    (_m, pre: string, name: string) => `${pre}${name}=${REDACTED}`,
  );
  // Reddit's private feed link, in a URL quoted in text: `feed=<token>` and `user=<name>` side by side (either order).
  out = out.replace(
    /([?&;])(feed|user)=[^&\s#"']+&(amp;)?(user|feed)=[^&\s#"']+/gi,
    (m, pre: string, a: string, amp: string | undefined, b: string) => (a.toLowerCase() === b.toLowerCase() ? m : `${pre}${a}=${REDACTED}&${amp ?? ''}${b}=${REDACTED}`),
  );
  // A credential after an auth scheme has digits or symbols; plain words ("token environment") are left alone.
  out = out.replace(
    /\b(Bearer|Basic|Token)\s+(?=[A-Za-z]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{6,}/gi,
    (_m, scheme: string) => `${scheme} ${REDACTED}`,
  );
  return out;
}

// Headers that name who is calling rather than prove it: never sent to another origin and redacted in header dumps,
// but their value (often the brand's own account name) is not cut out of answers, where it is the author of posts.
const IDENTITY_HEADER = /^api-username$/i;

/** Secret values to scrub from messages: credential header values and credential query values of a request. */
export function secretsOf(url: string, headers: Readonly<Record<string, string>> = {}): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name) || IDENTITY_HEADER.test(name)) continue;
    out.push(value);
    // `Bearer abc` → also scrub `abc` on its own.
    const space = value.indexOf(' ');
    if (space > 0) out.push(value.slice(space + 1));
    // `Basic base64(id:secret)` → the decoded pair and each half too: a server may echo the client secret in clear.
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value.trim());
    if (basic) {
      const pair = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = pair.indexOf(':');
      if (colon > 0) out.push(pair, pair.slice(0, colon), pair.slice(colon + 1));
    }
  }
  try {
    const parsed = new URL(url);
    if (parsed.password) out.push(decodeURIComponent(parsed.password));
    for (const [name, value] of parsed.searchParams) {
      if (isSecretParamIn(name, parsed.searchParams) && !isIdentityParam(name) && value) {
        out.push(value);
        out.push(encodeURIComponent(value));
      }
    }
  } catch {
    /* not a URL: nothing to add */
  }
  return out.filter((s) => s.length > 0);
}

/**
 * A response body with the request's own credentials cut out (exact matches only, values of 6+ characters).
 * Some APIs echo the key they refused ("key ... is not valid"); without this the echo would reach error
 * messages built from the body, the cache and the raw evidence. Nothing a source needs is ever its own secret.
 */
export function scrubSecrets(body: string, secrets: readonly string[]): string {
  let out = body;
  for (const secret of secrets) if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** A copy of the headers with every known secret value cut out of every value (whatever the header's name). */
export function scrubHeaderValues(headers: Readonly<Record<string, string>>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = scrubSecrets(value, secrets);
  return out;
}

/**
 * A logger whose every line has the known secret values (read at each line: the set grows during a run) and
 * `name=value` credentials cut out. Log lines quote URLs taken from servers' answers (Link headers, redirects),
 * which may carry a token the request never sent under a credential name.
 */
export function redactingLogger(logger: Logger, secrets: () => readonly string[]): Logger {
  return {
    info: (message) => logger.info(redactText(message, secrets())),
    warn: (message) => logger.warn(redactText(message, secrets())),
    debug: (message) => logger.debug(redactText(message, secrets())),
  };
}

/** Values in a request body that must never reach a message: `key=value` parts and credential-named JSON keys. */
export function secretsOfBody(body: string): string[] {
  const out: string[] = [];
  for (const part of body.split(/[&\s"':,{}]+/)) {
    const eq = part.indexOf('=');
    const value = eq >= 0 ? part.slice(eq + 1) : '';
    if (value.length >= 6) out.push(value, decodeURIComponentSafe(value));
  }
  // JSON logins ({"identifier": ..., "password": ...}): the values of credential-named keys.
  out.push(...jsonCredentials(body));
  return out;
}

/** Values of credential-named keys (password, token, secret...) at the top level of a JSON object body. */
function jsonCredentials(body: string): string[] {
  if (!body.trimStart().startsWith('{')) return [];
  try {
    const data = JSON.parse(body) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return [];
    return Object.entries(data as Record<string, unknown>)
      .filter(([k, v]) => typeof v === 'string' && v.length >= 6 && isSecretParam(k))
      .map(([, v]) => v as string);
  } catch {
    return [];
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
