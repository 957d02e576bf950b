/** The stage's Nextcloud settings (docs/nextcloud.md): the server, its admin user, and what the stage allows itself a minute. */
import * as z from './zod';

export const nextcloudSchema = z.strictObject({
  /** The server's base URL, where /ocs and /remote.php are (`https://cloud.example.com`, or with a sub-path). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'nextcloud.baseUrl must be an http(s) URL: the Nextcloud server, where /ocs and /remote.php are' }),
  /** The admin user whose app password is in the stage's Nextcloud secret (an admin: the `admin` group). */
  user: z.string().check(z.minLength(1, { error: 'nextcloud.user must name the admin user the app password belongs to' }), z.regex(/^[a-zA-Z0-9 _.@\-']+$/, { error: "nextcloud.user must be a Nextcloud user id (letters, digits, space, _ . @ - ')" })),
  /**
   * What this stage allows itself a minute. Nextcloud has no published API limit; its brute-force protection and
   * rate limits answer 429. Keep it below what the server's web tier takes with its users on it.
   */
  requestsPerMinute: z._default(z.int().check(z.positive({ error: 'nextcloud.requestsPerMinute must be a positive whole number' }), z.lte(6000, { error: 'nextcloud.requestsPerMinute must be at most 6000' })), 300),
});
export type NextcloudSettings = z.infer<typeof nextcloudSchema>;
