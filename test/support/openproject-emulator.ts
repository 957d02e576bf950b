/** Starts the OpenProject emulator (sample instance) on a free port with an action context whose OpenProject client points at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { Run } from '../../lambdas/engine/model';
import type { ActionRequest, EngineDeps } from '../../lambdas/engine/ports';
import { proposeHire, type HireProposal, type ProposalDeps } from '../../lambdas/engine/proposals';
import type { MemberTaskDeps } from '../../lambdas/openproject/member-tasks';
import type { OpenProjectProvider } from '../../lambdas/providers/providers';
import { OpenProjectClient } from '../../lambdas/providers/openproject/openproject-client';
import { LOCAL_OPENPROJECT_TOKEN, OpenProjectEmulator } from '../../local/emulators/openproject/openproject-emulator';
import { SAMPLE_OPENPROJECT, seedOpenProjectSample } from '../../local/emulators/openproject/openproject-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface OpenProjectTestBed {
  emulator: OpenProjectEmulator;
  openproject: OpenProjectProvider;
  url: string;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startOpenProjectTestBed(): Promise<OpenProjectTestBed> {
  const emulator = seedOpenProjectSample(new OpenProjectEmulator());
  return serveEmulator(emulator, emulator.routes(), (url) => {
    // No send again after a 429, so an injected one reaches the action; a budget no test waits on.
    const openproject: OpenProjectProvider = { client: new OpenProjectClient({ baseUrl: url, apiToken: async () => LOCAL_OPENPROJECT_TOKEN, requestsPerMinute: 100_000, maxRetries: 0 }), employeeIdField: SAMPLE_OPENPROJECT.employeeIdField };
    return { openproject, ctx: testActionContext({ openproject: () => openproject }) };
  });
}

export const useOpenProjectTestBed = (): (() => OpenProjectTestBed) => useTestBed(startOpenProjectTestBed);

/** The sample's member task workflow as a stage names it (its project, type and statuses). */
export const SAMPLE_MEMBER_TASKS: MemberTaskDeps['settings'] = {
  project: SAMPLE_OPENPROJECT.project.identifier,
  typeId: SAMPLE_OPENPROJECT.types.memberTask,
  statuses: { inSpecification: 'In specification', scheduled: 'scheduled', inProgress: 'in progress' },
};

/** The member tasks of an engine, on the test bed's OpenProject. */
export const memberTasksOn = (engine: EngineDeps, bed: () => OpenProjectTestBed): MemberTaskDeps => ({ engine, openproject: () => bed().openproject.client, settings: SAMPLE_MEMBER_TASKS });

/** Ada Lovelace proposed in Matrix by Alice. */
export const ADA_PROPOSAL: HireProposal = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@home.example', proposedBy: '@alice:example.org', source: 'matrix', reference: '$event-1', proposedAt: '2026-11-30T07:00:00.000Z' };

/** The run of a proposal made now (Ada's unless given); anything but a new proposal is an error. */
export async function proposedRun(deps: ProposalDeps, proposal: HireProposal = ADA_PROPOSAL): Promise<Run> {
  const proposed = await proposeHire(deps, proposal);
  if (proposed.outcome !== 'proposed') throw new Error(`not proposed: ${proposed.outcome}`);
  return proposed.run;
}

/** A step's request for Ada (E100, ada.lovelace@example.com); any field may be overridden. */
export function openProjectRequest(action: string, params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { eventType: action === 'openproject.provisionUser' ? 'hire' : 'terminate', params, ...overrides });
}
