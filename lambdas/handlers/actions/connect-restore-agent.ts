/** Lambda entry of connect.restoreAgent. */
import { actionContextFromEnv } from '../../actions/action-context';
import { restoreConnectAgent } from '../../actions/connect/restore-agent';
import { connectFromEnv } from '../../providers/connect/connect-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(restoreConnectAgent, () => actionContextFromEnv({ connect: connectFromEnv() }));
