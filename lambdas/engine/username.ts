/** Derives a new hire's Workspace username from their name: pure, so every rule is tested with plain values. */

export interface NameParts {
  firstName: string;
  lastName?: string;
  personalEmail?: string;
}

/** Nothing usable is left of the source: `field` names the event field an operator must fix (`employee.lastName`, …). */
export class UsernameError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'UsernameError';
  }
}

/** Google's limit on the local part of an address. */
export const MAX_LOCAL_PART = 64;

/**
 * Letters whose usual ASCII spelling NFD cannot give: the German umlauts and ß (ae, not a), and
 * letters with no decomposition at all. Everything else with an accent goes through NFKD.
 */
const SPELLED: Readonly<Record<string, string>> = {
  ä: 'ae', Ä: 'Ae', ö: 'oe', Ö: 'Oe', ü: 'ue', Ü: 'Ue', ß: 'ss', ẞ: 'SS',
  æ: 'ae', Æ: 'Ae', œ: 'oe', Œ: 'Oe', ø: 'o', Ø: 'O',
  ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th',
  ı: 'i', ħ: 'h', Ħ: 'H', ŧ: 't', Ŧ: 'T', ĸ: 'k',
};

/**
 * Lower-case a–z only. Digits are dropped too, so a number in an address is always the
 * collision counter of candidateAddress. NFKD rather than NFD also unfolds ligatures (ﬁ) and
 * full-width letters.
 */
export function toAsciiLetters(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => SPELLED[ch] ?? ch)
    .join('')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

const present = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

/**
 * The local part before any number: the first letter of the first name (after transliteration, so
 * Ümit gives u, not ue) and the last name; with no last name, the personal email's local part
 * without its +tag. At most 64 characters.
 */
export function baseUsername(p: NameParts): string {
  let base: string;
  if (present(p.lastName)) {
    const last = toAsciiLetters(p.lastName);
    if (!last) throw new UsernameError(`no Latin letters in the last name "${p.lastName}" to make a username from`, 'employee.lastName');
    const initial = toAsciiLetters(p.firstName).charAt(0);
    if (!initial) throw new UsernameError(`no Latin letters in the first name "${p.firstName}" to make a username from`, 'employee.firstName');
    base = initial + last;
  } else {
    if (!present(p.personalEmail)) {
      throw new UsernameError('no last name and no personal email to make a username from', 'employee.personalEmail');
    }
    const local = p.personalEmail.slice(0, Math.max(0, p.personalEmail.lastIndexOf('@'))).split('+')[0];
    base = toAsciiLetters(local);
    if (!base) throw new UsernameError(`no Latin letters in the personal email "${p.personalEmail}" to make a username from`, 'employee.personalEmail');
  }
  return base.slice(0, MAX_LOCAL_PART);
}

/**
 * Candidate n (0-based) for a base: n=0 → base@domain, n=1 → base2@domain (the second person gets 2).
 * A long base is cut so the local part with its number stays within 64 characters.
 */
export function candidateAddress(base: string, domain: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`candidate number must be a whole number from 0, got ${n}`);
  const suffix = n === 0 ? '' : String(n + 1);
  return `${base.slice(0, MAX_LOCAL_PART - suffix.length)}${suffix}@${domain}`;
}
