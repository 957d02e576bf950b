/** The bot's commands read from a message's text: pure, so every bad input and the field it names are tested with plain values. */
import * as z from '../shared/zod';
import { EMPLOYEE_SEARCH } from '../engine/employee-search';

/** How a reply names each field a proposer types. */
export const COMMAND_FIELDS = { firstName: 'first name', lastName: 'last name', email: 'email', query: 'name or email' } as const;
export type CommandField = keyof typeof COMMAND_FIELDS;

export type Command =
  | { kind: 'on'; firstName: string; lastName: string; email: string }
  | { kind: 'status'; query: string }
  | { kind: 'help' }
  /** A command with a bad or missing field: the reply names it, nothing is written. */
  | { kind: 'invalid'; command: string; field?: CommandField; message: string };

export const ON_USAGE = '!on <first name> <last name> <email>';
export const STATUS_USAGE = '!status <name or email>';

export const HELP_TEXT = [
  'Commands:',
  `${ON_USAGE}: proposes a hire; it waits for approval (its member task set to scheduled, or an approver) before any account is made, and I answer in this thread when the accounts are ready.`,
  `${STATUS_USAGE}: what is known of a hire proposed here: its runs, each one's status, and whether it awaits approval.`,
  '!help: this list.',
].join('\n');

const email = z.email();
const MAX_NAME = 100;

/** The command a message holds, or undefined for a message that is no command (it does not start with `!`). */
export function parseCommand(text: string): Command | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('!')) return undefined;
  const [head, ...words] = trimmed.split(/\s+/);
  const name = head.slice(1).toLowerCase();
  switch (name) {
    case 'on':
      return parseOn(words);
    case 'status':
      return parseStatus(words);
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'invalid', command: head.slice(0, 32), message: `${head.slice(0, 32)} is not a command I know; try !help` };
  }
}

const invalid = (field: CommandField, message: string): Command => ({ kind: 'invalid', command: '!on', field, message: `${COMMAND_FIELDS[field]}: ${message}; usage: ${ON_USAGE}` });

/** `!on <first> <last…> <email>`: the last word is the email, the first the first name, the words between the last name. */
function parseOn(words: string[]): Command {
  if (words.length === 0) return invalid('firstName', 'is missing');
  const last = words[words.length - 1];
  if (!last.includes('@')) {
    // No address at the end: name the field that is missing, or the address that is not one.
    if (words.length === 1) return invalid('lastName', 'is missing');
    if (words.length === 2) return invalid('email', 'is missing');
    return invalid('email', `"${last.slice(0, 64)}" is not an email address`);
  }
  if (!email.safeParse(last).success) return invalid('email', `"${last.slice(0, 64)}" is not an email address`);
  const names = words.slice(0, -1);
  if (names.length === 0) return invalid('firstName', 'is missing');
  if (names.length === 1) return invalid('lastName', 'is missing');
  const [firstName, ...rest] = names;
  const lastName = rest.join(' ');
  if (firstName.length > MAX_NAME) return invalid('firstName', `must be at most ${MAX_NAME} characters`);
  if (lastName.length > MAX_NAME) return invalid('lastName', `must be at most ${MAX_NAME} characters`);
  return { kind: 'on', firstName, lastName, email: last };
}

function parseStatus(words: string[]): Command {
  const query = words.join(' ');
  const fail = (message: string): Command => ({ kind: 'invalid', command: '!status', field: 'query', message: `${COMMAND_FIELDS.query}: ${message}; usage: ${STATUS_USAGE}` });
  if (!query) return fail('is missing');
  if (query.length < EMPLOYEE_SEARCH.minLength) return fail(`must be at least ${EMPLOYEE_SEARCH.minLength} characters`);
  if (query.length > EMPLOYEE_SEARCH.maxLength) return fail(`must be at most ${EMPLOYEE_SEARCH.maxLength} characters`);
  return { kind: 'status', query };
}
