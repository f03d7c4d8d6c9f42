/**
 * `npm run new-source -- <id>`: copies src/sources/_template/ to src/sources/<id>/ (index, fetch, parse) and its
 * fixtures to fixtures/sources/<id>/ (served pages, routes, one golden pair, PROVENANCE.md), renaming `_template`
 * and `Template` after the id, and registers the source with one line in src/sources/index.ts. Nothing else changes:
 * the generic tests loop over the registry, so `npm test` covers the new source by name at once.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEMPLATE = join(ROOT, 'src/sources/_template');
const INDEX = join(ROOT, 'src/sources/index.ts');
const MARKER = '  // new sources go above this line';

function fail(message: string): never {
  process.stderr.write(`new-source: ${message}\n`);
  process.exit(2);
}

const id = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9-]*$/.test(id)) fail('give the new source id: lower-case letters, digits and hyphens, starting with a letter (npm run new-source -- youtube).');
const camel = id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = camel[0]!.toUpperCase() + camel.slice(1);
const upper = id.toUpperCase().replace(/-/g, '_');
const srcDir = join(ROOT, 'src/sources', id);
const fixtureDir = join(ROOT, 'fixtures/sources', id);
if (existsSync(srcDir) || existsSync(fixtureDir)) fail(`src/sources/${id} or fixtures/sources/${id} already exists.`);
const index = readFileSync(INDEX, 'utf8');
if (!index.includes(MARKER)) fail(`src/sources/index.ts has lost the line "${MARKER.trim()}".`);

/** The template's text with every name of the template turned into the new source's. */
const rename = (text: string): string =>
  text.replaceAll('_templateSource', `${camel}Source`).replaceAll('TEMPLATE', upper).replaceAll('Template', pascal).replaceAll('_template', id);

/** Copies a folder, renaming inside each file (and in file names). */
function copyRenamed(from: string, to: string, skip: (name: string) => boolean = () => false): string[] {
  const written: string[] = [];
  for (const name of readdirSync(from)) {
    if (skip(name)) continue;
    const src = join(from, name);
    const dest = join(to, rename(name));
    if (statSync(src).isDirectory()) {
      written.push(...copyRenamed(src, dest));
    } else {
      cpSync(src, dest);
      writeFileSync(dest, rename(readFileSync(src, 'utf8')));
      written.push(dest.slice(ROOT.length));
    }
  }
  return written;
}

const written = [...copyRenamed(TEMPLATE, srcDir, (name) => name === 'fixtures'), ...copyRenamed(join(TEMPLATE, 'fixtures'), fixtureDir)];
writeFileSync(INDEX, index.replace(MARKER, `  (await import('./${id}/index.js')).${camel}Source,\n${MARKER}`));

process.stderr.write(
  [
    `new-source: wrote ${written.length} files and registered ${id} in src/sources/index.ts:`,
    ...written.map((f) => `  ${f}`),
    '',
    'Next (CONTRIBUTING.md, "Adding a source"): fill in the TODOs in index.ts, write fetch.ts and parse.ts for the',
    'real service, record its pages in fixtures/sources/' + id + '/ (routes.json, PROVENANCE.md), give each parser a',
    'golden pair, write the expected files with EARSHOT_WRITE_GOLDEN=1 and read them, drop `draft`, run',
    'npm run docs:sources, then npm test.',
    '',
  ].join('\n'),
);
