import { addDays, daysAfter, isValidIsoDate, isValidTimeZone, localDate, zonedTimeToUtc } from '../../lambdas/engine/time';

describe('zonedTimeToUtc', () => {
  it.each([
    ['2026-11-30', '09:00', 'Europe/Berlin', '2026-11-30T08:00:00.000Z'],
    ['2026-07-01', '09:00', 'Europe/Berlin', '2026-07-01T07:00:00.000Z'],
    ['2026-11-30', '00:00', 'America/New_York', '2026-11-30T05:00:00.000Z'],
    ['2026-11-30', '00:00', 'Asia/Kolkata', '2026-11-29T18:30:00.000Z'],
    ['2026-11-30', '00:00', 'UTC', '2026-11-30T00:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, expected) => {
    expect(zonedTimeToUtc(date, time, zone).toISOString()).toBe(expected);
  });

  it('resolves a time skipped by spring-forward to the hour after', () => {
    expect(zonedTimeToUtc('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedTimeToUtc('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });

  it('resolves a time repeated by fall-back to its first occurrence', () => {
    expect(zonedTimeToUtc('2026-10-25', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('calendar helpers', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['yesterday', false],
  ])('isValidIsoDate(%s) is %s', (value, valid) => {
    expect(isValidIsoDate(value)).toBe(valid);
  });

  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('isValidTimeZone(%s) is %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-30', 180)).toBe('2027-05-29');
    expect(daysAfter(new Date('2026-10-24T12:30:00Z'), 7)).toBe('2026-10-31T12:30:00.000Z');
  });

  it('reads the local date of an instant in a zone', () => {
    expect(localDate(new Date('2026-11-29T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-30');
    expect(localDate(new Date('2026-11-29T23:30:00Z'), 'America/New_York')).toBe('2026-11-29');
  });
});
