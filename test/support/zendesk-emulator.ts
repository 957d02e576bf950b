/** Starts the Zendesk emulator (sample account) on a free port with an action context whose Zendesk client points at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import { ZendeskClient } from '../../lambdas/providers/zendesk/zendesk-client';
import { LOCAL_ZENDESK_EMAIL, LOCAL_ZENDESK_TOKEN, ZendeskEmulator } from '../../local/emulators/zendesk/zendesk-emulator';
import { zendeskEmulatorRoutes } from '../../local/emulators/zendesk/zendesk-routes';
import { SAMPLE_ZENDESK, seedZendeskSample } from '../../local/emulators/zendesk/zendesk-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface ZendeskTestBed {
  emulator: ZendeskEmulator;
  client: ZendeskClient;
  url: string;
  ctx: ActionContext;
  /** The context with another leaver ticket group (undefined: none). */
  withLeaverGroup(group: string | undefined): ActionContext;
  stop(): Promise<void>;
}

export async function startZendeskTestBed(): Promise<ZendeskTestBed> {
  const emulator = seedZendeskSample(new ZendeskEmulator());
  return serveEmulator(emulator, zendeskEmulatorRoutes(emulator), (url) => {
    // No send again after a 429, so an injected one reaches the action; a budget no test waits on, and no slowing down
    // when a test's small quota runs low.
    const client = new ZendeskClient({ baseUrl: url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, maxRetries: 0, requestsPerMinute: 100_000, slowDownBelow: 0 });
    const withLeaverGroup = (group: string | undefined): ActionContext => testActionContext({ zendesk: () => ({ client, leaverTicketGroup: group }) });
    return { client, ctx: withLeaverGroup(SAMPLE_ZENDESK.leaverTicketGroup), withLeaverGroup };
  });
}

/** A fresh Zendesk test bed for each test of the calling file, stopped after it. */
export const useZendeskTestBed = (): (() => ZendeskTestBed) => useTestBed(startZendeskTestBed);

/** A step's request for the sample account's leaver (Ada, E100); any field may be overridden. */
export function zendeskRequest(action: string, params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { eventType: action === 'zendesk.provisionUser' ? 'hire' : 'terminate', params, ...overrides });
}
