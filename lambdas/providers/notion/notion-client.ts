/** Builds the Notion client the role catalog reads with: the real @notionhq/client, base URL configurable, rate-limited. */
import { Client, LogLevel } from '@notionhq/client';
import { rateLimitedFetch, type RateLimit } from '../rate-limited-fetch';

/** Notion allows an average of three requests a second per integration, with short bursts. */
export const NOTION_RATE_LIMIT: RateLimit = { perMinute: 180, maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface NotionClientOptions {
  /** The integration token. */
  auth: string;
  /** The local emulator's URL; unset for https://api.notion.com. */
  baseUrl?: string;
  rateLimit?: RateLimit;
  fetch?: typeof fetch;
}

export function createNotionClient(options: NotionClientOptions): Client {
  return new Client({
    auth: options.auth,
    baseUrl: options.baseUrl,
    fetch: rateLimitedFetch('notion', options.rateLimit ?? NOTION_RATE_LIMIT, options.fetch),
    // Our transport retries throttled calls (honouring Retry-After); the client's own retry would double it.
    retry: false,
    // A failure reaches the caller as an error; the client's own console warnings would only repeat it.
    logLevel: LogLevel.ERROR,
  });
}
