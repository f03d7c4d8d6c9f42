/** The tool's name and version, read once from package.json beside the compiled code. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** earshot's version from package.json (compiled code sits at dist/src/core, three levels below the root). */
export function toolVersion(): string {
  if (cached !== undefined) return cached;
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'earshot' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // Try the next candidate: tests run from src/, the CLI from dist/src/.
    }
  }
  return (cached = '0.0.0');
}

/** The project's home page, named in the User-Agent and reports. */
export const PROJECT_URL = 'https://github.com/earshot-cli/earshot';
