/** Lambda entry of connect.updateAgent. */
import { actionContextFromEnv } from '../../actions/action-context';
import { updateConnectAgent } from '../../actions/connect/update-agent';
import { connectFromEnv } from '../../providers/connect/connect-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(updateConnectAgent, () => actionContextFromEnv({ connect: connectFromEnv() }));
