/** The stage's Front settings (docs/front.md): the API roots and what the stage allows itself a minute. */
import * as z from './zod';

/** Front's Core API root and its SCIM 2.0 root. */
export const FRONT_API_BASE_URL = 'https://api2.frontapp.com';
export const FRONT_SCIM_BASE_URL = 'https://scim.frontapp.com/v2';

export const frontSchema = z.strictObject({
  /** The Core API root; Front's own unless a proxy stands in front of it. */
  baseUrl: z._default(z.url({ protocol: /^https?$/, error: 'front.baseUrl must be an http(s) URL (Front\'s is https://api2.frontapp.com)' }), FRONT_API_BASE_URL),
  /** The SCIM 2.0 root, up to and including /v2. */
  scimBaseUrl: z._default(z.url({ protocol: /^https?$/, error: 'front.scimBaseUrl must be an http(s) URL (Front\'s is https://scim.frontapp.com/v2)' }), FRONT_SCIM_BASE_URL),
  /**
   * What this stage allows itself a minute, Core API and SCIM together. Front limits per company, by plan (Starter 50,
   * Growth 100, Scale 200, more with the add-on); other integrations using the company's API tokens share it.
   */
  requestsPerMinute: z._default(z.int().check(z.positive({ error: 'front.requestsPerMinute must be a positive whole number' }), z.lte(1000, { error: 'front.requestsPerMinute must be at most 1000' })), 50),
});
export type FrontSettings = z.infer<typeof frontSchema>;
