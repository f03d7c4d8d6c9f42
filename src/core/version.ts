/** The tool's version and home page, read once from package.json. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's home page, named in the User-Agent and reports. */
export const PROJECT_URL = 'https://github.com/earshot-cli/earshot';

/**
 * The version in earshot's package.json, found by walking up from this module: source runs from
 * src/core/ and compiled code from dist/src/core/, so a fixed relative path would break one of them.
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

let cached: string | undefined;

/** earshot's version (read on first use, then remembered). */
export function toolVersion(): string {
  return (cached ??= readPackageVersion());
}
