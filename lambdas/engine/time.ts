/** Calendar and time-zone arithmetic without a library: local wall time in an IANA zone to UTC. */

/** True when the IANA time zone name is known to this runtime. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isValidIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The instant `days` whole 24-hour days after `at`, ISO UTC (an expiry; calendar dates go through addDays). */
export function daysAfter(at: Date, days: number): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString();
}

/** The wall-clock fields of an instant in a zone (24-hour), as numbers. */
export function wallClock(instant: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of the zone from UTC at the given instant, in minutes (Berlin in winter: +60). */
function zoneOffsetMinutes(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

/**
 * The UTC instant of a wall-clock time on a date in a zone. A time that does not exist (spring
 * forward) resolves to the instant one offset later; an ambiguous one (fall back) to the first.
 */
export function zonedTimeToUtc(isoDate: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const day = 24 * 3600 * 1000;
  const before = zoneOffsetMinutes(wall - day, timeZone);
  const after = zoneOffsetMinutes(wall + day, timeZone);
  const valid = [before, after]
    .map((offset) => wall - offset * 60000)
    .filter((t, i) => zoneOffsetMinutes(t, timeZone) === [before, after][i])
    .sort((a, b) => a - b);
  // In a spring-forward gap neither candidate is valid: keep the offset from before the change.
  return new Date(valid[0] ?? wall - before * 60000);
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
