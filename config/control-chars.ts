/** The characters free text may not carry: terminal, line-breaking and bidi controls, found and made visible in one place. */

/**
 * C0 controls (NUL, tab, CR, LF, ESC…), DEL, C1 controls (CSI 0x9B among them), the Unicode line and paragraph
 * separators, and the bidi marks, embeddings, overrides and isolates that reorder what a reader sees.
 */
const CONTROL_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

const ANY_CONTROL = new RegExp(`[${CONTROL_CLASS}]`);
const EVERY_CONTROL = new RegExp(`[${CONTROL_CLASS}]`, 'g');
/** The same, less the line break, for multi-line text whose lines are the layout. */
const EVERY_CONTROL_BUT_NEWLINE = new RegExp(`[${CONTROL_CLASS.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f')}]`, 'g');

/** `U+001B`: how a message names a character a reader cannot see. */
export const codePointName = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first control character in the text and where it is (0-based), or undefined when there is none. */
export function findControlChar(text: string): { char: string; index: number } | undefined {
  const m = ANY_CONTROL.exec(text);
  return m ? { char: m[0], index: m.index } : undefined;
}

/** A validation message for text that holds a control character, or undefined when it holds none. */
export function controlCharProblem(text: string): string | undefined {
  const found = findControlChar(text);
  return found ? `must not contain control characters (${codePointName(found.char)} at position ${found.index + 1})` : undefined;
}

/** `\u001b`: the JSON escape, valid inside a JSON string and harmless on a terminal. */
const escaped = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of text for a terminal: every control character shown as its escape instead of acting. */
export function printableLine(text: string): string {
  return text.replace(EVERY_CONTROL, escaped);
}

/** Text whose line breaks are its layout: the breaks stay, every other control character is shown escaped. */
export function printableText(text: string): string {
  return text.replace(EVERY_CONTROL_BUT_NEWLINE, escaped);
}
