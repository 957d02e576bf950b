/** The groups a user is a direct member of, every page: what the leaver's group steps start from. */
import type { admin_directory_v1 } from '@googleapis/admin';
import { google } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { everyPage } from '../../providers/google/every-page';

export function groupsOf(g: GoogleClients, email: string): Promise<admin_directory_v1.Schema$Group[]> {
  return everyPage(
    async (pageToken) => (await google(`listing the groups of ${email}`, () => g.directory.groups.list({ userKey: email, pageToken, maxResults: 200 }))).data,
    (page) => page.groups,
  );
}
