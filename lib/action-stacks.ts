/**
 * How the catalog's actions are laid out over Actions Stacks: one stack per provider (the part of the action name
 * before the dot), a large provider split into a fixed number of parts by a hash of the action name. An action
 * stays in its stack when others are added (its function has a fixed name, which two stacks cannot both hold
 * during one deploy), and every stack stays far under CloudFormation's 500 resources. No aws-cdk-lib here.
 */
import type { ActionSpec } from '../lambdas/actions/catalog';

/**
 * Actions one stack may hold: about five resources each (function, role, policy, log group, registry parameter),
 * so a full stack is under 400 resources. Synth fails past it, naming the provider to split.
 */
export const MAX_ACTIONS_PER_STACK = 75;

/**
 * Parts a provider's actions are split into; 1 when not named. Changing a provider's count moves most of its
 * functions between stacks: deploy that change with the dispatcher paused (docs/deploy.md).
 */
export const PROVIDER_STACK_PARTS: Readonly<Record<string, number>> = { google: 3 };

export interface ActionStackPart {
  /** `Google`, or `Google1`, `Google2` for a provider in parts: the stack name's last segment. */
  readonly id: string;
  readonly provider: string;
  readonly actions: readonly ActionSpec[];
}

/** `google.suspendUser` -> `google`. */
export function providerOf(action: Pick<ActionSpec, 'name'>): string {
  const dot = action.name.indexOf('.');
  if (dot <= 0) throw new Error(`action ${action.name}: its name must be provider.action`);
  return action.name.slice(0, dot);
}

/** FNV-1a, 32 bits: the same action name lands in the same part on every machine and every synth. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const pascal = (word: string): string => word.replace(/[^A-Za-z0-9]+/g, ' ').split(' ').filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/** The stacks the catalog needs, in provider order (first appearance in the catalog), parts in number order. */
export function actionStackLayout(
  catalog: readonly ActionSpec[],
  parts: Readonly<Record<string, number>> = PROVIDER_STACK_PARTS,
  maxPerStack: number = MAX_ACTIONS_PER_STACK,
): ActionStackPart[] {
  const byProvider = new Map<string, ActionSpec[]>();
  for (const action of catalog) {
    const provider = providerOf(action);
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), action]);
  }
  const layout: ActionStackPart[] = [];
  for (const [provider, actions] of byProvider) {
    const count = parts[provider] ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`provider ${provider}: its stack parts must be a whole number from 1, got ${count}`);
    const buckets: ActionSpec[][] = Array.from({ length: count }, () => []);
    for (const action of actions) buckets[count === 1 ? 0 : fnv1a(action.name) % count].push(action);
    buckets.forEach((bucket, i) => {
      const id = count === 1 ? pascal(provider) : `${pascal(provider)}${i + 1}`;
      if (bucket.length > maxPerStack) {
        throw new Error(
          `stack Actions-${id} would hold ${bucket.length} actions, more than ${maxPerStack}: raise PROVIDER_STACK_PARTS.${provider} in lib/action-stacks.ts`,
        );
      }
      if (bucket.length > 0) layout.push({ id, provider, actions: bucket });
    });
  }
  return layout;
}
