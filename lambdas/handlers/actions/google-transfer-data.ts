/** Lambda entry of google.transferData. */
import { actionContextFromEnv } from '../../actions/action-context';
import { transferData } from '../../actions/google/transfer-data';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(transferData, () => actionContextFromEnv({ google: googleFromEnv() }));
