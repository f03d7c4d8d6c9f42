/** Neutralising untrusted text before it reaches a terminal or a spreadsheet. */

// CSI/OSC/DCS and other escape sequences, C0/C1 controls (except \n and \t), bidi controls (overrides, isolates, marks
// including the Arabic letter mark U+061C) and zero-width characters.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Removes terminal escape sequences, control, bidi and zero-width characters; keeps newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}

/** Text for one terminal line: controls stripped and whitespace (newlines included) collapsed. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, ' ').trim();
}

/** Prefixes a cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with an apostrophe. */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
