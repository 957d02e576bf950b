/** Lambda entry of connect.removeAgent. */
import { actionContextFromEnv } from '../../actions/action-context';
import { removeConnectAgent } from '../../actions/connect/remove-agent';
import { connectFromEnv } from '../../providers/connect/connect-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(removeConnectAgent, () => actionContextFromEnv({ connect: connectFromEnv() }));
