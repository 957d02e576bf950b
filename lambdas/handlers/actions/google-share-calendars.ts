/** Lambda entry of google.shareCalendars. */
import { actionContextFromEnv } from '../../actions/action-context';
import { shareCalendars } from '../../actions/google/share-calendars';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(shareCalendars, () => actionContextFromEnv({ google: googleFromEnv() }));
