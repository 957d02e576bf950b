/**
 * What the attestation leaves out of a step's read-back: personal contact data and free text an auditor does not need.
 * A value is masked, never dropped, so the record still shows it was there (and, read back, that it is gone); a null
 * or missing value stays as it is. The one list below, keyed by action and field, is all there is to it.
 */
import type { ReadBack } from './attestation';

/** `addresses`: free text whose email addresses are each masked (a note, a provider's answer). */
export type Redaction = 'email' | 'phone' | 'text' | 'addresses';

/** The fields masked in the read-back, by action; `[]` steps into each element of a list. */
export const REDACTIONS: Readonly<Record<string, Readonly<Record<string, Redaction>>>> = {
  'google.removeRecoveryInfo': { 'result.removed.recoveryEmail': 'email', 'result.removed.recoveryPhone': 'phone' },
  // A send-as address is often a private one outside the company, like a forwarding address.
  'google.removeSendAs': {
    'result.removed.sendAs[].sendAsEmail': 'email',
    'result.removed.sendAs[].replyToAddress': 'email',
    'result.removed.sendAs[].signature': 'text',
    note: 'addresses',
    providerAnswer: 'addresses',
  },
  'google.setAutoReply': { 'result.previous.responseSubject': 'text', 'result.previous.responseBodyPlainText': 'text' },
  'google.removeExternalForwarding': {
    'result.removed.autoForwarding.emailAddress': 'email',
    'result.removed.forwardingAddresses[]': 'email',
    note: 'addresses',
    providerAnswer: 'addresses',
  },
};

/** `ada.private@example.com` as `a***@example.com`: the domain kept, the mailbox not. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '***';
  return `${value[0]}***${value.slice(at)}`;
}

/** `+49 151 1234 5612` as `+49 *** **12`: the country code and the last two digits. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 6) return '***';
  return `${value.trimStart().startsWith('+') ? `+${digits.slice(0, 2)} ` : ''}*** **${digits.slice(-2)}`;
}

const maskText = (value: string) => `present (${[...value].length} characters)`;

/** Every address in a text masked, the words around them kept. */
const maskAddresses = (value: string) => value.replace(/[^\s,;:<>()"']+@[^\s,;:<>()"']+/g, (address) => maskEmail(address));

function mask(value: unknown, as: Redaction): unknown {
  if (typeof value !== 'string' || value === '') return value;
  if (as === 'addresses') return maskAddresses(value);
  return as === 'email' ? maskEmail(value) : as === 'phone' ? maskPhone(value) : maskText(value);
}

/** A copy of `value` with the field at `path` masked; anything that is not there is left alone. */
function redactAt(value: unknown, path: readonly string[], as: Redaction): unknown {
  if (!path.length) return mask(value, as);
  const [head, ...rest] = path;
  const each = head.endsWith('[]');
  const key = each ? head.slice(0, -2) : head;
  if (!value || typeof value !== 'object' || Array.isArray(value) || !(key in value)) return value;
  const field = (value as Record<string, unknown>)[key];
  const next = each ? (Array.isArray(field) ? field.map((item) => redactAt(item, rest, as)) : field) : redactAt(field, rest, as);
  return { ...(value as Record<string, unknown>), [key]: next };
}

/** The read-back of a step of `action` with the listed fields masked. */
export function redactReadBack(action: string, readBack: ReadBack): ReadBack {
  let out: unknown = readBack;
  for (const [path, as] of Object.entries(REDACTIONS[action] ?? {})) out = redactAt(out, path.split('.'), as);
  return out as ReadBack;
}
