/** The bot's commands: what each message asks, and every bad input named by its field. */
import { HELP_TEXT, parseCommand } from '../../../lambdas/matrix/commands';
import { mayCommand, powerLevelOf } from '../../../lambdas/matrix/power-levels';

describe('parseCommand', () => {
  it.each([
    ['!on Ada Lovelace ada@home.example', { kind: 'on', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@home.example' }],
    ['  !on   Ada  King Lovelace  ada@home.example ', { kind: 'on', firstName: 'Ada', lastName: 'King Lovelace', email: 'ada@home.example' }],
    ['!ON Ada Lovelace ada@home.example', { kind: 'on', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@home.example' }],
    ['!status ada@home.example', { kind: 'status', query: 'ada@home.example' }],
    ['!status Ada Lovelace', { kind: 'status', query: 'Ada Lovelace' }],
    ['!help', { kind: 'help' }],
  ])('%s', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each(['hello', 'on Ada Lovelace ada@home.example', '', '   '])('"%s" is no command', (text) => {
    expect(parseCommand(text)).toBeUndefined();
  });

  it.each([
    ['!on', 'firstName', /^first name: is missing/],
    ['!on Ada', 'lastName', /^last name: is missing/],
    ['!on ada@home.example', 'firstName', /^first name: is missing/],
    ['!on Ada ada@home.example', 'lastName', /^last name: is missing/],
    ['!on Ada Lovelace', 'email', /^email: is missing/],
    ['!on Ada Lovelace ada-at-home.example', 'email', /^email: "ada-at-home.example" is not an email address/],
    ['!on Ada Lovelace ada@', 'email', /^email: "ada@" is not an email address/],
    ['!on Ada Lovelace @home.example', 'email', /^email: "@home.example" is not an email address/],
    [`!on ${'A'.repeat(101)} Lovelace ada@home.example`, 'firstName', /^first name: must be at most 100 characters/],
    [`!on Ada ${'L'.repeat(101)} ada@home.example`, 'lastName', /^last name: must be at most 100 characters/],
    ['!status', 'query', /^name or email: is missing/],
    ['!status a', 'query', /^name or email: must be at least 2 characters/],
  ])('%s names the field %s', (text, field, message) => {
    const command = parseCommand(text);
    expect(command).toMatchObject({ kind: 'invalid', field });
    expect(command?.kind === 'invalid' && command.message).toMatch(message);
  });

  it('an unknown command is answered with a pointer to !help', () => {
    expect(parseCommand('!off Ada')).toEqual({ kind: 'invalid', command: '!off', message: '!off is not a command I know; try !help' });
  });

  it('the help names every command', () => {
    expect(HELP_TEXT).toMatch(/!on <first name> <last name> <email>/);
    expect(HELP_TEXT).toMatch(/!status <name or email>/);
    expect(HELP_TEXT).toMatch(/!help/);
  });
});

describe('power levels', () => {
  const content = { users: { '@alice:x': 50, '@admin:x': 100, '@odd:x': '75' }, users_default: 10 };
  it.each([
    ['@alice:x', 50],
    ['@admin:x', 100],
    ['@odd:x', 75],
    ['@bob:x', 10],
  ])('%s has %i', (user, level) => {
    expect(powerLevelOf(content, user)).toBe(level);
  });

  it('without users_default a user not listed has 0; without the event at all everyone has 0', () => {
    expect(powerLevelOf({ users: {} }, '@bob:x')).toBe(0);
    expect(powerLevelOf(undefined, '@bob:x')).toBe(0);
  });

  it.each([
    ['@alice:x', 50, true],
    ['@alice:x', 51, false],
    ['@bob:x', 50, false],
    ['@bob:x', 0, true],
  ])('%s may command at level %i: %s', (user, required, may) => {
    expect(mayCommand(content, user, required)).toBe(may);
  });
});
