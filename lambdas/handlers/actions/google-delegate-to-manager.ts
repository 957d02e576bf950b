/** Lambda entry of google.delegateToManager. */
import { actionContextFromEnv } from '../../actions/action-context';
import { delegateToManager } from '../../actions/google/delegate-to-manager';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(delegateToManager, () => actionContextFromEnv({ google: googleFromEnv() }));
