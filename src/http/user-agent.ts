/** The User-Agent earshot sends: `earshot/<version> (+<project URL>)`, as Reddit and GitHub ask of API clients. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where users can read what earshot is and who runs it. */
export const PROJECT_URL = 'https://github.com/earshot-cli/earshot';

/**
 * The version in earshot's package.json, found by walking up from this module: source runs from
 * src/http/ and compiled code from dist/src/http/, so a fixed relative path would break one of them.
 */
export function readPackageVersion(startDir: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = startDir;
  for (let i = 0; i < 8; i += 1) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'earshot' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // An unreadable package.json on the way up is not ours; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}

/** earshot's version, read once. */
export const VERSION: string = readPackageVersion();

/** The User-Agent for a version (default: this package's). */
export function userAgent(version: string = VERSION): string {
  return `earshot/${version} (+${PROJECT_URL})`;
}

/** The default User-Agent header value. */
export const USER_AGENT: string = userAgent();
