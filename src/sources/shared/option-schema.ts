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
/** Anything: the source checks it in its own words (kept for options typed only by their fetch part). */
export const anyValue = () => v.unknown();
