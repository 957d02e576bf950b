/**
 * Room to grow: with three times today's actions every template stays under 400 resources (CloudFormation allows
 * 500), and the dispatcher's invoke right is one statement on the stage's function-name prefix whatever the count.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { ACTION_CATALOG, type ActionSpec } from '../../lambdas/actions/catalog';
import { actionStackLayout, MAX_ACTIONS_PER_STACK, providerOf } from '../../lib/action-stacks';
import { allStacks, buildStage, type BuiltStage } from './build-stacks';
import { logicalId, statementsOfRole } from './template-helpers';

/** IAM's limit on the characters of a role's inline policies, whitespace not counted. */
const IAM_INLINE_POLICY_LIMIT = 10_240;
const RESOURCE_BUDGET = 400;

const today: readonly ActionSpec[] = ACTION_CATALOG;

/** `copies` made-up actions per real one, same provider and needs, each with its own name. */
function grown(copies: number): ActionSpec[] {
  return Array.from({ length: copies }, (_, copy) =>
    today.map((a) => ({ ...a, name: copy === 0 ? a.name : `${a.name}X${copy}` }) as ActionSpec),
  ).flat();
}

/** The dispatcher role's policy documents as IAM counts them: JSON without whitespace. */
function dispatcherPolicyChars(built: BuiltStage): number {
  const core = Template.fromStack(built.core);
  return JSON.stringify(statementsOfRole(core, logicalId(built.core.functions.dispatcher.role))).length;
}

describe('room to grow (dev)', () => {
  const large = grown(3);
  const now = buildStage('dev');
  const big = buildStage('dev', {}, { catalog: large });

  it('the made-up catalog holds three times today’s actions, each name once', () => {
    expect(large.length).toBe(3 * today.length);
    expect(large.length).toBeGreaterThanOrEqual(120);
    expect(new Set(large.map((a) => a.name)).size).toBe(large.length);
  });

  it.each(allStacks(big).map((s) => [s.stackName, s] as const))('%s stays under 400 resources with it', (_name, stack) => {
    const count = Object.keys(Template.fromStack(stack).toJSON().Resources as object).length;
    expect(count).toBeLessThan(RESOURCE_BUDGET);
  });

  it('every action of it has its function, spread over the provider stacks', () => {
    expect(big.actions.reduce((n, s) => n + s.actions.size, 0)).toBe(large.length);
    expect(big.actions.map((s) => s.stackName)).toEqual(actionStackLayout(large).map((p) => `AccountLifecycle-dev-Actions-${p.id}`));
  });

  it("the dispatcher's policies stay well under IAM's 10,240 characters and do not grow with the actions", () => {
    expect(dispatcherPolicyChars(big)).toBeLessThan(IAM_INLINE_POLICY_LIMIT / 2);
    expect(dispatcherPolicyChars(big)).toBe(dispatcherPolicyChars(now));
    expect(JSON.stringify(Template.fromStack(big.core).toJSON())).toBe(JSON.stringify(Template.fromStack(now.core).toJSON()));
  });
});

describe('the layout of actions over stacks', () => {
  it('puts each provider in its own stacks, a large one in its fixed parts', () => {
    const layout = actionStackLayout(today);
    for (const part of layout) expect(new Set(part.actions.map(providerOf))).toEqual(new Set([part.provider]));
    expect(layout.filter((p) => p.provider === 'google').map((p) => p.id)).toEqual(['Google1', 'Google2', 'Google3']);
  });

  it('keeps every action in its stack when others are added (its function name cannot be in two stacks at once)', () => {
    const stackOf = (catalog: readonly ActionSpec[]) => new Map(actionStackLayout(catalog).flatMap((p) => p.actions.map((a) => [a.name, p.id] as const)));
    const before = stackOf(today);
    const after = stackOf(grown(3));
    for (const [name, id] of before) expect({ name, id: after.get(name) }).toEqual({ name, id });
  });

  it('refuses a stack over its action budget, naming the provider to split', () => {
    const many = Array.from({ length: MAX_ACTIONS_PER_STACK + 1 }, (_, i) => ({ name: `zendesk.action${i}`, module: 'x', description: 'x', priority: 'housekeeping' as const, needs: {} }));
    expect(() => actionStackLayout(many)).toThrow(/Actions-Zendesk would hold 76 actions.*PROVIDER_STACK_PARTS\.zendesk/);
  });
});
