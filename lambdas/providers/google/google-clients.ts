/**
 * The Google clients every Google action uses, built in one place: the real @googleapis clients
 * with a configurable root URL, a shared rate-limited transport, and per-subject credentials.
 */
import { admin_directory_v1 } from '@googleapis/admin/build/directory_v1';
import { admin_datatransfer_v1 } from '@googleapis/admin/build/datatransfer_v1';
import { calendar_v3 } from '@googleapis/calendar/build/v3';
import type { drive_v3 } from '@googleapis/drive/build/v3';
import type { gmail_v1 } from '@googleapis/gmail/build/v1';
import { OAuth2Client } from 'google-auth-library';
import { rateLimitedFetch, type RequestPriority } from '../rate-limited-fetch';
import type { GoogleConfig } from './google-config';
import { LicensingClient } from './licensing-client';
import { VaultClient } from './vault-client';
import { tokenScopes, type GoogleToken } from './google-scopes';
import { serviceAccountJwt } from './service-account-token';

export interface GoogleClients {
  config: GoogleConfig;
  directory: admin_directory_v1.Admin;
  dataTransfer: admin_datatransfer_v1.Admin;
  licensing: LicensingClient;
  /** Google Vault's matters and holds, acting as the admin subject. */
  vault: VaultClient;
  /**
   * The customer's real id (C0…): the configured one when it is one, else read once per process from the Directory
   * (customers.get of my_customer), since License Manager takes no my_customer alias.
   */
  customerId(): Promise<string>;
  /** Calendar access control, acting as the admin subject (team calendars it manages). */
  calendar: calendar_v3.Calendar;
  /** Gmail settings act as the mailbox owner (domain-wide delegation with the user as subject). */
  gmailFor(userEmail: string): Promise<gmail_v1.Gmail>;
  /** Gmail as a sending mailbox (messages.send, and reading back its sent mail), acting as that mailbox. */
  gmailSenderFor(senderEmail: string): Promise<gmail_v1.Gmail>;
  /** Drive, read-only metadata, as the user whose files it lists (domain-wide delegation with the user as subject). */
  driveFor(userEmail: string): Promise<drive_v3.Drive>;
  /** Calendar as the user whose calendar list and calendars' access rules are read and changed (a leaver's, handed over). */
  calendarFor(userEmail: string): Promise<calendar_v3.Calendar>;
  /** Drive as the admin subject, for shared drives with useDomainAdminAccess (their members, whoever they are). */
  driveAdmin(): Promise<drive_v3.Drive>;
  /**
   * The same clients (transport, rate limit and cached tokens shared) whose tokens carry only these of the granted
   * scopes: an action asks with the scopes its catalog entry declares, and no more.
   */
  withScopes(scopes: readonly string[]): GoogleClients;
  /** The scopes these clients' tokens may carry; undefined: every scope the clients use. */
  readonly scopes?: readonly string[];
  /**
   * The same clients (scopes, tokens and budget shared) whose requests take from the budget as the step they serve:
   * `lockout` first (docs/engine.md, "One Google budget per stage").
   */
  withPriority(priority: RequestPriority | undefined): GoogleClients;
  /** The class these clients' requests take from the budget as; undefined: no step's (served after `lockout`). */
  readonly priority?: RequestPriority;
}

type Auth = OAuth2Client;

export function createGoogleClients(config: GoogleConfig): GoogleClients {
  const transports = new Map<RequestPriority | undefined, typeof fetch>();
  // One transport per class, all on the one budget: the class rides with every request, its retries too.
  const fetchFor = (priority: RequestPriority | undefined) => {
    let transport = transports.get(priority);
    if (!transport) transports.set(priority, (transport = rateLimitedFetch('google', config.rateLimit, globalThis.fetch, config.budget, priority)));
    return transport;
  };
  return buildClients(config, config.scopes, undefined, { fetchFor, authCache: new Map(), variants: new Map() });
}

/** The Directory's alias for the caller's own customer; every other value is taken as the real id. */
export const MY_CUSTOMER = 'my_customer';

/** What every set of clients of one process shares: the transports, the tokens, the customer id once read, the variants. */
interface ProcessCache {
  fetchFor: (priority: RequestPriority | undefined) => typeof fetch;
  authCache: Map<string, Promise<Auth>>;
  customerId?: Promise<string>;
  /** The clients by class and scopes, built once each. */
  variants: Map<string, GoogleClients>;
}

function buildClients(config: GoogleConfig, granted: readonly string[] | undefined, priority: RequestPriority | undefined, cache: ProcessCache): GoogleClients {
  const { authCache } = cache;
  const fetchImplementation = cache.fetchFor(priority);
  // Our transport does the retrying (with Retry-After); the client's own retry would double it.
  const common = { rootUrl: config.rootUrl, fetchImplementation, retry: false } as const;
  const variant = (p: RequestPriority | undefined, scopes: readonly string[] | undefined): GoogleClients => {
    const key = `${p ?? ''}|${scopes ? [...scopes].sort().join(' ') : '*'}`;
    let clients = cache.variants.get(key);
    if (!clients) cache.variants.set(key, (clients = buildClients(config, scopes, p, cache)));
    return clients;
  };

  const authFor = (subject: string, token: GoogleToken): Promise<Auth> => {
    const scopes = tokenScopes(token, granted);
    const key = `${subject}|${scopes.join(',')}`;
    let auth = authCache.get(key);
    if (!auth) {
      auth = (async () => {
        const creds = config.credentials;
        if (creds.kind === 'emulator') {
          const client = new OAuth2Client();
          client.setCredentials({ access_token: creds.tokenFor(subject, scopes), expiry_date: Date.now() + 365 * 24 * 3600 * 1000 });
          return client;
        }
        const key = await creds.key();
        return serviceAccountJwt(key, subject, scopes);
      })();
      authCache.set(key, auth);
      auth.catch(() => authCache.delete(key));
    }
    return auth;
  };

  // The admin clients are built lazily around one auth promise, so no key is fetched until a call.
  const adminAuth = lazyAuth(() => authFor(config.adminSubject, 'admin'));
  const directory = new admin_directory_v1.Admin({ ...common, auth: adminAuth });
  const customerId = (): Promise<string> => {
    if (config.customerId !== MY_CUSTOMER) return Promise.resolve(config.customerId);
    if (!cache.customerId) {
      // Its own token (admin.directory.customer.readonly alone), asked for only here.
      const customers = new admin_directory_v1.Admin({ ...common, auth: lazyAuth(() => authFor(config.adminSubject, 'customer')) }).customers;
      const read = customers.get({ customerKey: MY_CUSTOMER, fields: 'id' }).then((res) => {
        if (!res.data.id) throw new Error('customers.get of my_customer answered no id');
        return res.data.id;
      });
      // A failed read is not kept: the next call (a retry of the step) reads again.
      read.catch(() => {
        if (cache.customerId === read) cache.customerId = undefined;
      });
      cache.customerId = read;
    }
    return cache.customerId;
  };
  return {
    config,
    scopes: granted,
    priority,
    directory,
    customerId,
    dataTransfer: new admin_datatransfer_v1.Admin({ ...common, auth: adminAuth }),
    calendar: new calendar_v3.Calendar({ ...common, auth: lazyAuth(() => authFor(config.adminSubject, 'calendar')) }),
    licensing: new LicensingClient(config.rootUrl ?? 'https://licensing.googleapis.com/', () => authFor(config.adminSubject, 'admin'), fetchImplementation, customerId),
    vault: new VaultClient(config.rootUrl ?? 'https://vault.googleapis.com/', () => authFor(config.adminSubject, 'vault'), fetchImplementation),
    async gmailFor(userEmail: string) {
      const { gmail_v1 } = await import('@googleapis/gmail/build/v1');
      return new gmail_v1.Gmail({ ...common, auth: await authFor(userEmail, 'gmail') });
    },
    async gmailSenderFor(senderEmail: string) {
      const { gmail_v1 } = await import('@googleapis/gmail/build/v1');
      return new gmail_v1.Gmail({ ...common, auth: await authFor(senderEmail, 'gmailSend') });
    },
    async driveFor(userEmail: string) {
      const { drive_v3 } = await import('@googleapis/drive/build/v3');
      return new drive_v3.Drive({ ...common, auth: await authFor(userEmail, 'drive') });
    },
    async calendarFor(userEmail: string) {
      return new calendar_v3.Calendar({ ...common, auth: await authFor(userEmail, 'calendarUser') });
    },
    async driveAdmin() {
      const { drive_v3 } = await import('@googleapis/drive/build/v3');
      return new drive_v3.Drive({ ...common, auth: await authFor(config.adminSubject, 'driveAdmin') });
    },
    withScopes(scopes: readonly string[]) {
      // Never wider than what this process was granted.
      return variant(priority, granted ? scopes.filter((s) => granted.includes(s)) : [...scopes]);
    },
    withPriority(p: RequestPriority | undefined) {
      return p === priority ? this : variant(p, granted);
    },
  };
}

/** An OAuth2Client whose requests wait for the real auth client, resolved on first use. */
function lazyAuth(resolve: () => Promise<Auth>): Auth {
  const proxy = new OAuth2Client();
  proxy.request = (async (opts: Parameters<Auth['request']>[0]) => (await resolve()).request(opts)) as Auth['request'];
  return proxy;
}
