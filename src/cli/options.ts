/** Commander options built from the one options table (config/options.ts); commands pick theirs by name. */
import { InvalidArgumentError, Option } from 'commander';
import { OPTION_SPECS, type FlagName } from '../config/options.js';

export { type FlagName } from '../config/options.js';

/** Builds commander Options for the named settings, with help text, defaults and groups from the table. */
export function buildOptions(names: readonly FlagName[]): Option[] {
  return names.map((name) => {
    const spec = OPTION_SPECS[name];
    const opt = new Option(spec.flags ?? '', spec.description);
    const choices = spec.choices;
    if (choices) {
      // choices() gives the help its list; the parser after it accepts any case (`-f CSV`).
      opt.choices(choices);
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
