/** Lambda entry of google.updateCustomSchemas. */
import { actionContextFromEnv } from '../../actions/action-context';
import { updateCustomSchemas } from '../../actions/google/update-custom-schemas';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(updateCustomSchemas, () => actionContextFromEnv({ google: googleFromEnv() }));
