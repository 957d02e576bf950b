/**
 * A Google call learns the class of the step it serves: runAction hands the request's class (or, for a step that
 * carries none, its action's) to the Google clients, whose every request takes from the budget as that class.
 */
import type { ActionDefinition } from '../../../lambdas/actions/define-action';
import { hideFromDirectory } from '../../../lambdas/actions/google/hide-from-directory';
import { signOut } from '../../../lambdas/actions/google/sign-out';
import { runAction } from '../../../lambdas/actions/run-action';
import { createGoogleClients } from '../../../lambdas/providers/google/google-clients';
import { DEFAULT_RATE_LIMIT, type RequestBudget, type RequestPriority } from '../../../lambdas/providers/rate-limited-fetch';
import { LOCAL_GOOGLE_CREDENTIALS } from '../../../local/credentials/google-local-token';
import { expectOk, useGoogleTestBed, type GoogleTestBed } from '../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
let taken: (RequestPriority | undefined)[];

/** The bed's context, its Google clients on a budget that notes the class of every request it lets out. */
function contextOnBudget() {
  const budget: RequestBudget = {
    take: (priority) => {
      taken.push(priority);
      return Promise.resolve();
    },
  };
  const google = createGoogleClients({
    rootUrl: `${bed.url}/`,
    customerId: 'my_customer',
    adminSubject: bed.sample.users.admin.email,
    credentials: LOCAL_GOOGLE_CREDENTIALS,
    rateLimit: { ...DEFAULT_RATE_LIMIT, maxRetries: 0 },
    budget,
  });
  return { ...bed.ctx, providers: { ...bed.ctx.providers, google: () => google } };
}

beforeEach(() => {
  bed = currentBed();
  taken = [];
});

type Def = ActionDefinition<unknown>;

describe('the class of a step reaches its Google requests', () => {
  it('takes every request of a step from the budget as the class the step carries', async () => {
    expectOk(await runAction(hideFromDirectory as Def, contextOnBudget(), bed.request(hideFromDirectory.name, { priority: 'protect' })));
    expect(taken.length).toBeGreaterThan(0);
    expect(new Set(taken)).toEqual(new Set(['protect']));
  });

  it('takes a sign-out that carries no class as lockout, its account check included', async () => {
    expectOk(await runAction(signOut as Def, contextOnBudget(), bed.request(signOut.name)));
    // The account read and the sign-out itself.
    expect(taken.length).toBeGreaterThanOrEqual(2);
    expect(new Set(taken)).toEqual(new Set(['lockout']));
  });

  it('lets a step\'s own class win over its action\'s', async () => {
    expectOk(await runAction(signOut as Def, contextOnBudget(), bed.request(signOut.name, { priority: 'housekeeping' })));
    expect(new Set(taken)).toEqual(new Set(['housekeeping']));
  });

  it('leaves a step that carries no class, of an action that is not a lockout, behind every lockout call', async () => {
    expectOk(await runAction(hideFromDirectory as Def, contextOnBudget(), bed.request(hideFromDirectory.name)));
    expect(taken.length).toBeGreaterThan(0);
    expect(taken).not.toContain('lockout');
  });
});
