/** Valibot pieces for option and config schemas, each failing with the words a user reads ("a list of strings"). */
import * as v from 'valibot';

/** A string. */
export const stringSchema = (what = 'a string') => v.string(what);
/** A list of strings. */
export const strings = (what = 'a list of strings') => v.array(v.string('a string'), what);
/** A whole number, at least 1. */
export const positiveInt = (what: string) => v.pipe(v.number(what), v.integer(what), v.minValue(1, what));
/** A whole number, 0 or more. */
export const wholeNumber = (what: string) => v.pipe(v.number(what), v.integer(what), v.minValue(0, what));
/** true or false. */
export const bool = () => v.boolean('true or false');
/** A whole number from `min` to `max`. */
export const intRange = (min: number, max: number, what = `a whole number from ${min} to ${max}`) =>
  v.pipe(v.number(what), v.integer(what), v.minValue(min, what), v.maxValue(max, what));
/** One value or a list of them (one `--source-option id.key=value` gives a lone value where a list is expected). */
export const oneOrList = <T extends v.GenericSchema>(item: T, what: string) => v.union([item, v.array(item, what)], what);
/** A string or a number (ids that are numeric on one service and named on another). */
export const stringOrNumber = (what: string) => v.union([v.string(what), v.number(what)], what);
/** An http(s) URL. */
export const httpUrl = (what = 'an http(s) URL') => v.pipe(v.string(what), v.regex(/^https?:\/\/[^\s/]+/i, what));
