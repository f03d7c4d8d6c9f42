import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withGeneratedTables } from '../../../scripts/lib/config-docs.js';
import { COMMAND_OPTIONS, main, type CliDeps } from '../../../src/cli/main.js';
import { CONFIG_ENV, parseConfigText } from '../../../src/config/load.js';
import { ENV_SETTINGS, mergeSettings } from '../../../src/config/merge.js';
import { CONFIG_KEYS, longFlag, OPTION_NAMES, OPTION_SPECS, type OptionName } from '../../../src/config/options.js';
import { validateConfig } from '../../../src/config/schema.js';
import { UsageError } from '../../../src/core/errors.js';

const DOC = new URL('../../../docs/config.md', import.meta.url);

function deps(env: Record<string, string> = {}): CliDeps & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { stdout, stderr, stdin, env, clock: () => new Date('2026-11-15T12:00:00Z'), out: () => out, err: () => err };
}

/** A config value of the wrong type for a setting's kind. */
function wrongValue(name: OptionName): unknown {
  const kind = OPTION_SPECS[name].kind;
  return kind === 'list' || kind === 'dates' ? 'not a list' : kind === 'positiveInt' || kind === 'ratio' ? 'many' : ['a', 'list'];
}

describe('the options table', () => {
  it('docs/config.md carries the tables it generates (run npm run docs:config after changing src/config/options.ts)', async () => {
    const doc = await readFile(DOC, 'utf8');
    expect(withGeneratedTables(doc)).toBe(doc);
  });

  it('a stale docs table is noticed', async () => {
    const doc = await readFile(DOC, 'utf8');
    const stale = doc.replace('| `--tz` | `EARSHOT_TZ` | `timezone` | `UTC` |', '| `--tz` | `EARSHOT_TZ` | `timezone` | `Europe/Berlin` |');
    expect(stale).not.toBe(doc);
    expect(withGeneratedTables(stale)).toBe(doc);
  });

  it('every setting is in the docs: its flag, its variable and its config key', async () => {
    const doc = await readFile(DOC, 'utf8');
    for (const name of OPTION_NAMES) {
      const spec = OPTION_SPECS[name];
      const flag = longFlag(name);
      if (flag !== undefined) expect(doc, name).toContain(`\`${flag}\``);
      if (spec.env !== undefined) expect(doc, name).toContain(`\`${spec.env}\``);
      if (spec.config !== undefined) expect(doc, name).toContain(`\`${spec.config.path}\``);
    }
  });

  it('every flag is taken by some command, and every command option is in the table', () => {
    const taken = new Set(Object.values(COMMAND_OPTIONS).flat());
    for (const name of OPTION_NAMES) if (OPTION_SPECS[name].flags !== undefined) expect(taken.has(name as never), name).toBe(true);
    for (const name of taken) expect(OPTION_SPECS[name].flags, name).toBeDefined();
  });

  it('every variable is read: EARSHOT_CONFIG by the loader, the others by mergeSettings', () => {
    for (const name of OPTION_NAMES) {
      const env = OPTION_SPECS[name].env;
      if (env === undefined) continue;
      if (name === 'config') expect(CONFIG_ENV).toBe(env);
      else expect(ENV_SETTINGS[name as keyof typeof ENV_SETTINGS]?.env, name).toBe(env);
    }
  });

  it('every config key of the table is in the schema, checked by the setting\'s kind with its expected text', () => {
    for (const name of OPTION_NAMES) {
      const c = OPTION_SPECS[name].config;
      if (c === undefined) continue;
      expect(CONFIG_KEYS as readonly string[], name).toContain(c.path.split('.')[0]);
      if (c.shape === 'custom') continue;
      const path = c.path.split('.');
      const raw: Record<string, unknown> = { brand: 'Acme' };
      if (path.length === 1) raw[path[0]!] = wrongValue(name);
      else raw[path[0]!] = { [path[1]!]: wrongValue(name) };
      const { errors } = validateConfig(raw, ['hn']);
      expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`), name).toContainEqual(expect.stringMatching(new RegExp(`^${c.path.replace('.', '\\.')}(\\.\\d+)?: found .*, expected ${c.expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
    }
  });
});

describe('EARSHOT_* variables', () => {
  const merge = (env: Record<string, string>, accepted?: ReadonlySet<string>) => mergeSettings({ format: 'table', since: '30d' }, { format: 'default', since: 'default' }, undefined, env, accepted);

  it('are checked as their flags, and the error names the variable', () => {
    expect(() => merge({ EARSHOT_SINCE: 'banana' })).toThrow(new UsageError("EARSHOT_SINCE='banana' is not a time: write e.g. 30d, 12h, 2026-11-01 or 2026-11-01T09:00:00Z."));
    expect(() => merge({ EARSHOT_LIMIT: '0' })).toThrow("EARSHOT_LIMIT='0' must be a whole number of at least 1.");
    expect(() => merge({ EARSHOT_TIMEOUT: '30' })).toThrow("EARSHOT_TIMEOUT='30' has no unit");
    expect(() => merge({ EARSHOT_TZ: 'Mars/Base' })).toThrow("EARSHOT_TZ='Mars/Base': Unknown time zone 'Mars/Base'");
    expect(() => merge({ EARSHOT_HOLIDAY: '2026-12-25,2026-13-01' })).toThrow("EARSHOT_HOLIDAY='2026-13-01': Holiday '2026-13-01' is not a date");
    expect(() => merge({ EARSHOT_FORMAT: 'pdf' })).toThrow("EARSHOT_FORMAT='pdf' is not one of table, csv, json, ndjson, html.");
  });

  it('good values pass as before; a choice in any case is lower-cased', () => {
    const out = merge({ EARSHOT_SINCE: '7d', EARSHOT_LIMIT: '5', EARSHOT_FORMAT: 'CSV', EARSHOT_TZ: 'europe/berlin' });
    expect(out).toMatchObject({ since: '7d', limit: '5', format: 'csv', tz: 'europe/berlin' });
  });

  it('a variable for a setting the command does not take is neither read nor checked', () => {
    const out = merge({ EARSHOT_SINCE: 'banana', EARSHOT_FORMAT: 'csv' }, new Set(['format']));
    expect(out.since).toBe('30d');
    expect(out.format).toBe('csv');
  });

  it('a bad variable is a usage error (exit 2) from the command line too', async () => {
    const d = deps({ EARSHOT_FORMAT: 'pdf' });
    expect(await main(['node', 'earshot', 'analyze', '-'], d)).toBe(2);
    expect(d.err()).toBe("earshot: EARSHOT_FORMAT='pdf' is not one of table, csv, json, ndjson, html.\n");
    expect(d.out()).toBe('');
  });
});

describe('choices are case-insensitive', () => {
  it('-f JSON is json; -f pdf is still a usage error listing the choices', async () => {
    const ok = deps();
    expect(await main(['node', 'earshot', 'explain', '-f', 'JSON', 'thanks a lot'], ok)).toBe(0);
    expect(JSON.parse(ok.out())).toMatchObject({ text: 'thanks a lot' });
    const bad = deps();
    expect(await main(['node', 'earshot', 'explain', '-f', 'pdf', 'x'], bad)).toBe(2);
    expect(bad.err()).toContain('Allowed choices are table, csv, json, ndjson, html.');
  });

  it('analyze -f CSV writes CSV, and EARSHOT_FORMAT=NDJSON writes NDJSON', async () => {
    const csv = deps();
    expect(await main(['node', 'earshot', 'analyze', '-', '--allow-empty', '-f', 'CSV', '--now', '2026-11-15T12:00:00Z'], csv)).toBe(0);
    expect(csv.out().split('\n')[0]).toMatch(/^id,/);
    const nd = deps({ EARSHOT_FORMAT: 'NDJSON' });
    expect(await main(['node', 'earshot', 'analyze', '-', '--allow-empty', '--now', '2026-11-15T12:00:00Z'], nd)).toBe(0);
    expect(nd.out()).toBe('');
  });

  it('output.format in the config is too', async () => {
    const { config } = await parseConfigText('brand: Acme\noutput:\n  format: CSV\n', 'earshot.yml', ['hn']);
    expect(config.output?.format).toBe('csv');
  });
});
