/** The generated tables of docs/config.md, rendered from the options table; `npm run docs:config` writes them. */
import { CONFIG_KEYS, longFlag, OPTION_NAMES, OPTION_SPECS } from '../../src/config/options.js';

/** The generated part of a section lies between these two lines (the name says which table). */
const marker = (name: string, end = false): string => `<!-- ${name}:${end ? 'end' : 'start'} (generated from src/config/options.ts by npm run docs:config; do not edit) -->`;

const code = (s: string): string => `\`${s}\``;

/** Every setting: its flag, variable, config key and default. */
function settingsTable(): string {
  const rows = OPTION_NAMES.map((name) => {
    const spec = OPTION_SPECS[name];
    const flag = longFlag(name);
    const variable = spec.env === undefined ? '' : `${code(spec.env)}${spec.repeatable && spec.envNote === undefined ? ' (list)' : ''}`;
    const config = spec.config === undefined ? '' : code(spec.config.path);
    const note = spec.envNote === undefined ? '' : ` (${spec.envNote})`;
    const dflt = spec.defaultValue !== undefined ? code(spec.defaultValue) : (spec.defaultDescription ?? '');
    return `| ${flag === undefined ? '' : code(flag)} | ${variable}${note} | ${config} | ${dflt} | ${spec.description} |`;
  });
  return ['| flag | variable | config key | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** Every config key that holds a setting, in CONFIG_KEYS order (nested keys after their parent). */
function keysTable(): string {
  const rows: string[] = [];
  for (const key of CONFIG_KEYS) {
    for (const name of OPTION_NAMES) {
      const c = OPTION_SPECS[name].config;
      if (c === undefined || (c.path !== key && !(c.path.startsWith(`${key}.`) && key !== 'sources'))) continue;
      rows.push(`| ${code(c.path)} | ${c.type} | ${c.meaning} |`);
    }
  }
  return ['| key | type | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

const TABLES: Record<string, () => string> = { 'settings-table': settingsTable, 'keys-table': keysTable };

/** `doc` with every generated table replaced by a fresh rendering; throws when a marker is missing. */
export function withGeneratedTables(doc: string): string {
  let out = doc;
  for (const [name, render] of Object.entries(TABLES)) {
    const start = out.indexOf(marker(name));
    const end = out.indexOf(marker(name, true));
    if (start < 0 || end < start) throw new Error(`docs/config.md has no ${name} markers`);
    out = `${out.slice(0, start + marker(name).length)}\n${render()}\n${out.slice(end)}`;
  }
  return out;
}
