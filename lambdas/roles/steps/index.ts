/** Each system's planner of the steps a role diff calls for, in the order their steps are planned. */
import type { RoleDiff } from '../diff';
import type { StepPlanner } from './planner';
import { connectSteps } from './connect';
import { googleSteps } from './google';
import { scimSteps } from './scim';
import { zendeskSteps } from './zendesk';
import { nextcloudSteps } from './nextcloud';
import { openProjectSteps } from './openproject';
import { frontSteps } from './front';

export const CONNECTOR_STEPS: readonly ((diff: RoleDiff, planner: StepPlanner) => void)[] = [googleSteps, connectSteps, zendeskSteps, scimSteps, frontSteps, nextcloudSteps, openProjectSteps];
