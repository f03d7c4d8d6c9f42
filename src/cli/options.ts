/** Commander options built from the one options table (config/options.ts); commands pick theirs by name. */
import { InvalidArgumentError, Option } from 'commander';
import { OPTION_SPECS, type FlagName } from '../config/options.js';

export { type FlagName } from '../config/options.js';

/**
 * Builds commander Options for the named settings, with help text, defaults and groups from the table. `narrow` gives
 * a command fewer choices than the table (`doctor` writes no html), so its help never offers what it then refuses.
 */
export function buildOptions(names: readonly FlagName[], narrow: Partial<Record<FlagName, readonly string[]>> = {}): Option[] {
  return names.map((name) => {
    const spec = OPTION_SPECS[name];
    // The help lists the command's own choices; parsing accepts the table's, so a command refuses the rest itself
    // in its own words ("earshot doctor has no csv format; use -f table, json or ndjson").
    const shown = narrow[name] ?? spec.choices;
    const choices = spec.choices;
    // The table's words may name a choice this command does not have ("html: the self-contained report").
    const description = narrow[name] !== undefined ? spec.description.replace(/\s*\([^)]*\)$/, '') : spec.description;
    const opt = new Option(spec.flags ?? '', description);
    if (choices) {
      // choices() gives the help its list; the parser after it accepts any case (`-f CSV`).
      opt.choices(shown ?? choices);
      opt.argParser((value: string) => {
        const lower = value.trim().toLowerCase();
        if (!choices.includes(lower)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
        return lower;
      });
    }
    if (spec.repeatable) opt.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    if (spec.defaultValue !== undefined) opt.default(spec.defaultValue, spec.defaultDescription);
    else if (spec.defaultDescription) opt.default(undefined, spec.defaultDescription);
    opt.helpGroup(`${spec.group}:`);
    return opt;
  });
}
