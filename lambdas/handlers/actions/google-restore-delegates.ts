/** Lambda entry of google.restoreDelegates. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreDelegates } from '../../actions/google/restore-delegates';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreDelegates, () => actionContextFromEnv({ google: googleFromEnv() }));
