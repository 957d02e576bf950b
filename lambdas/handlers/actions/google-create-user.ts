/** Lambda entry of google.createUser. */
import { actionContextFromEnv } from '../../actions/action-context';
import { createUser } from '../../actions/google/create-user';
import { credentialsFromEnv } from '../../credentials/credentials-from-env';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(createUser, () => actionContextFromEnv({ google: googleFromEnv() }, [], { credentials: credentialsFromEnv({ seal: true }) }));
