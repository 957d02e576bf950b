/** Lambda entry of google.unshareCalendars. */
import { actionContextFromEnv } from '../../actions/action-context';
import { unshareCalendars } from '../../actions/google/unshare-calendars';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(unshareCalendars, () => actionContextFromEnv({ google: googleFromEnv() }));
