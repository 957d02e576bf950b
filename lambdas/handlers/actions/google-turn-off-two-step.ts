/** Lambda entry of google.turnOffTwoStep. */
import { actionContextFromEnv } from '../../actions/action-context';
import { turnOffTwoStep } from '../../actions/google/turn-off-two-step';
import { googleFromEnv } from '../../providers/google/google-from-env';
import { createActionHandler } from '../action-handler';

export const handler = createActionHandler(turnOffTwoStep, () => actionContextFromEnv({ google: googleFromEnv() }));
