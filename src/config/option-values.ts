/** Reads a setting's text by its kind (options.ts), for flags and EARSHOT_* variables alike, naming where it came from. */
import { createBusinessCalendar } from '../analysis/business-hours.js';
import { parseBusinessHours, validateTimeZone } from '../core/business-hours-spec.js';
import { parseDuration, parseTimeBound } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { OPTION_SPECS, type OptionName } from './options.js';

/** Checks `text` as a value of `name` and returns it normalised (a choice lower-cased); `what` names the flag in errors. */
export function checkOptionText(name: OptionName, text: string, what: string): string {
  const spec = OPTION_SPECS[name];
  switch (spec.kind) {
    case 'choice': {
      const lower = text.trim().toLowerCase();
      const choices = spec.choices ?? [];
      if (!choices.includes(lower)) throw new UsageError(`${what} '${text}' is not one of ${choices.join(', ')}.`);
      return lower;
    }
    case 'positiveInt':
      positiveInt(text, what);
      return text;
    case 'ratio':
      ratio(text, what);
      return text;
    case 'duration':
      parseDuration(text, what);
      return text;
    case 'timeLimit':
      positiveDuration(text, what);
      return text;
    case 'timeBound':
      // The audit clock is not known yet (a replay takes it from its manifest): this checks the form only.
      parseTimeBound(text, new Date(0), what);
      return text;
    case 'timeZone':
      validateTimeZone(text);
      return text;
    case 'businessHours':
      createBusinessCalendar({ schedule: parseBusinessHours(text), timeZone: 'UTC', holidays: [] });
      return text;
    case 'dates':
      createBusinessCalendar({ schedule: parseBusinessHours('24/7'), timeZone: 'UTC', holidays: [text] });
      return text;
    default:
      return text;
  }
}

/**
 * Checks an EARSHOT_* value exactly as its flag would be, with the variable named in the error:
 * `EARSHOT_SINCE='banana' is not a time: …`, `EARSHOT_TZ='Mars': Unknown time zone …`.
 */
export function checkEnvText(name: OptionName, text: string, variable: string): string {
  try {
    return checkOptionText(name, text, variable);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const named = `${variable} '`;
    const message = e.message.startsWith(named) ? `${variable}='${e.message.slice(named.length)}` : `${variable}='${text}': ${e.message}`;
    throw new UsageError(message, { cause: e });
  }
}

/** A whole number of at least 1 (a flag's text or a config number), or a usage error naming it. */
export function positiveInt(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} '${String(value)}' must be a whole number of at least 1.`);
  return n;
}

/** A ratio from 0 to 1, or a usage error naming it. */
export function ratio(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${what} '${String(value)}' must be a ratio between 0 and 1, e.g. 0.8.`);
  return n;
}

/** A duration above zero in ms, or a usage error naming it: a time limit cannot be switched off with 0. */
export function positiveDuration(text: string, what: string): number {
  const ms = parseDuration(text, what);
  if (ms <= 0) throw new UsageError(`${what} '${text}' must be more than zero (a limit cannot be switched off): write e.g. 30s, 2m or 10m.`);
  return ms;
}
