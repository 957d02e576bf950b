/** Lambda entry of connect.createAgent. */
import { actionContextFromEnv } from '../../actions/action-context';
import { createConnectAgent } from '../../actions/connect/create-agent';
import { connectFromEnv } from '../../providers/connect/connect-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(createConnectAgent, () => actionContextFromEnv({ connect: connectFromEnv() }));
