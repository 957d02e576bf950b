/** Lambda entry of the data-forwarding action. */
import { actionContextFromEnv } from '../../actions/action-context';
import { forwardEvent } from '../../actions/forward/forward-event';
import { forwardReceiversFromEnv } from '../../actions/forward/forward-receivers';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(forwardEvent, () => actionContextFromEnv({}, forwardReceiversFromEnv()));
