/**
 * `npm run fixture:from-raw -- DIR SOURCE NAME [--keep HANDLE]... [--option key=value]... [--root FOLDER]`: turns an
 * `earshot audit … --save-raw DIR` recording into fixtures/sources/SOURCE/NAME/ (routes.json, bodies, PROVENANCE.md)
 * and golden pairs in fixtures/sources/SOURCE/golden/, with personal data pseudonymised and credentials redacted.
 * Exit 0 when written, 2 when refused (one sentence on stderr), 3 when the files could not be written.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FromRawError, fixtureFromRaw } from './lib/from-raw.js';

const USAGE = 'usage: npm run fixture:from-raw -- DIR SOURCE NAME [--keep HANDLE]... [--option key=value]... [--root FOLDER]';

/** Runs the command on `argv` (without node and the script); returns the exit code. */
export function runFixtureFromRaw(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void }, root: string): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { keep: { type: 'string', multiple: true }, option: { type: 'string', multiple: true }, root: { type: 'string' } },
    });
  } catch (err) {
    io.err(`fixture:from-raw: ${(err as Error).message}; ${USAGE}\n`);
    return 2;
  }
  const [dir, source, name, ...rest] = parsed.positionals;
  if (dir === undefined || source === undefined || name === undefined || rest.length > 0) {
    io.err(`fixture:from-raw: give the recording folder, the source id and the fixture name; ${USAGE}\n`);
    return 2;
  }
  const options: Record<string, unknown> = {};
  for (const pair of parsed.values.option ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.err(`fixture:from-raw: --option ${pair} is not key=value; write e.g. --option brandGroups=staff.\n`);
      return 2;
    }
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // A bare word is a string.
    }
    options[pair.slice(0, eq)] = value;
  }
  try {
    const result = fixtureFromRaw({
      dir,
      source,
      name,
      root: parsed.values.root ?? root,
      keep: parsed.values.keep ?? [],
      ...(Object.keys(options).length > 0 ? { options } : {}),
    });
    io.err(`fixture:from-raw: wrote ${result.files.length} files (${result.routes} routes, ${result.goldens} golden pairs, ${result.pseudonyms.size} values pseudonymised) under ${result.folder}; read every expected.json before you commit it.\n`);
    for (const f of result.files) io.out(`${f}\n`);
    return 0;
  } catch (err) {
    if (err instanceof FromRawError) {
      io.err(`fixture:from-raw: ${err.message}\n`);
      return 2;
    }
    io.err(`fixture:from-raw: could not write the fixture: ${(err as Error).message}\n`);
    return 3;
  }
}

// Run only as the script itself (dist/scripts/fixture-from-raw.js), not when a test imports it.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  // `… | head` closing the pipe is not a failure: the files are written already.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  // npm runs the script from the package root; a relative DIR means the folder the user typed it in.
  const cwd = process.env['INIT_CWD'] ?? process.cwd();
  const argv = process.argv.slice(2);
  const firstPositional = argv.findIndex((a, i) => !a.startsWith('--') && (i === 0 || !/^--(?:keep|option|root)$/.test(argv[i - 1] ?? '')));
  if (firstPositional >= 0) argv[firstPositional] = resolve(cwd, argv[firstPositional]!);
  process.exitCode = runFixtureFromRaw(argv, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, join(ROOT, 'fixtures/sources'));
}
