import { decideAccount, DEFAULT_ACCOUNT_POLICY, parseAccountPolicy, protectedBecause, type AccountPolicy, type FoundAccount } from '../../lambdas/actions/account-policy';

const account = (overrides: Partial<FoundAccount> = {}): FoundAccount => ({
  system: 'google',
  address: 'ada.lovelace@example.com',
  boundTo: 'E100',
  orgUnitPath: '/Staff',
  ...overrides,
});
const policy = (overrides: Partial<{ protected: Partial<AccountPolicy['protected']>; adoptUnbound: Partial<AccountPolicy['adoptUnbound']> }> = {}): AccountPolicy => ({
  protected: { ...DEFAULT_ACCOUNT_POLICY.protected, ...overrides.protected },
  adoptUnbound: { ...DEFAULT_ACCOUNT_POLICY.adoptUnbound, ...overrides.adoptUnbound },
});
const decide = (found: FoundAccount, p: AccountPolicy = DEFAULT_ACCOUNT_POLICY, removes = true, confirmations: Parameters<typeof decideAccount>[0]['confirmations'] = []) =>
  decideAccount({ employeeId: 'E100', runId: 'run-1', account: found, policy: p, confirmations, removes });

describe('whose account a step may touch', () => {
  it('acts on the account bound to the employee id', () => {
    expect(decide(account())).toEqual({ ok: true });
  });

  it('never acts on an account bound to another employee, whatever an operator confirmed', () => {
    const other = account({ boundTo: 'E999' });
    const out = decide(other, policy({ adoptUnbound: { domains: ['example.com'] } }), true, [
      { system: 'google', account: other.address, confirms: 'adopt' },
      { system: 'google', account: other.address, confirms: 'protected' },
    ]);
    expect(out).toMatchObject({ ok: false, hold: 'bound_elsewhere' });
    expect(!out.ok && out.message).toContain('belongs to employee E999, not to employee E100');
  });

  it('holds an unbound account until an operator adopts it for the run, naming the call', () => {
    const unbound = account({ boundTo: undefined });
    const held = decide(unbound);
    expect(held).toMatchObject({ ok: false, hold: 'unbound' });
    expect(!held.ok && held.message).toContain('POST /v1/runs/run-1/confirm-account');
    expect(decide(unbound, DEFAULT_ACCOUNT_POLICY, true, [{ system: 'google', account: 'ADA.LOVELACE@example.com', confirms: 'adopt' }])).toEqual({ ok: true, adopt: 'operator' });
    // A confirmation for another account, system or purpose does not adopt this one.
    expect(decide(unbound, DEFAULT_ACCOUNT_POLICY, true, [{ system: 'connect', account: unbound.address, confirms: 'adopt' }])).toMatchObject({ hold: 'unbound' });
    expect(decide(unbound, DEFAULT_ACCOUNT_POLICY, true, [{ system: 'google', account: unbound.address, confirms: 'protected' }])).toMatchObject({ hold: 'unbound' });
  });

  it.each([
    ['a listed domain', policy({ adoptUnbound: { domains: ['example.com'] } }), account({ boundTo: undefined })],
    ['a listed org unit or one below it', policy({ adoptUnbound: { orgUnits: ['/Staff'] } }), account({ boundTo: undefined, orgUnitPath: '/Staff/Support' })],
    ['a Connect agent of a listed mail domain', policy({ adoptUnbound: { domains: ['example.com'] } }), account({ system: 'connect', address: 'ada.lovelace', domain: 'example.com', boundTo: undefined, orgUnitPath: undefined })],
  ])('adopts an unbound account on first sight in %s, for a step that grants or restores', (_what, p, found) => {
    expect(decide(found, p, false)).toEqual({ ok: true, adopt: 'stage' });
    // A step that takes access away (a leaver's, perhaps a forged one) does not adopt by the stage's rule.
    expect(decide(found, p, true)).toMatchObject({ ok: false, hold: 'unbound' });
  });

  it('a restore acts only on an account still bound to the employee: an unbound one is refused, adopted by no rule or operator', () => {
    const adopting = policy({ adoptUnbound: { domains: ['example.com'] } });
    const restore = (found: FoundAccount, confirmations: Parameters<typeof decideAccount>[0]['confirmations'] = []) =>
      decideAccount({ employeeId: 'E100', runId: 'run-1', account: found, policy: adopting, confirmations, removes: false, restores: true });
    expect(restore(account())).toEqual({ ok: true });
    // The same account without a restore would be adopted by the stage rule.
    expect(decide(account({ boundTo: undefined }), adopting, false)).toEqual({ ok: true, adopt: 'stage' });
    const unbound = restore(account({ boundTo: undefined }), [{ system: 'google', account: 'ada.lovelace@example.com', confirms: 'adopt' }]);
    expect(unbound).toMatchObject({ ok: false, hold: 'bound_elsewhere' });
    expect(!unbound.ok && unbound.message).toMatch(/bound to no employee .* a restore puts back only on an account still bound to employee E100, and adopts none/);
    expect(restore(account({ boundTo: 'E999' }))).toMatchObject({ ok: false, hold: 'bound_elsewhere' });
  });

  it('never adopts a protected account by the stage rule', () => {
    const admin = account({ boundTo: undefined, adminRole: 'a super admin' });
    expect(decide(admin, policy({ adoptUnbound: { domains: ['example.com'] } }), false)).toMatchObject({ ok: false, hold: 'unbound' });
  });

  it('does not adopt outside the listed domains and org units', () => {
    expect(decide(account({ boundTo: undefined, orgUnitPath: '/Staffing' }), policy({ adoptUnbound: { orgUnits: ['/Staff'], domains: ['example.org'] } }), false)).toMatchObject({ hold: 'unbound' });
  });

  it.each([
    ['a super admin', account({ adminRole: 'a super admin' }), DEFAULT_ACCOUNT_POLICY],
    ['an account in a protected org unit', account({ orgUnitPath: '/Executives/Board' }), policy({ protected: { orgUnits: ['/Executives'] } })],
    ['a listed address', account(), policy({ protected: { addresses: ['ada.lovelace@example.com'] } })],
  ])('holds a step that takes access away from %s until an operator confirms it', (_what, found, p) => {
    const held = decide(found, p);
    expect(held).toMatchObject({ ok: false, hold: 'protected' });
    expect(!held.ok && held.message).toMatch(/^protected account: /);
    expect(decide(found, p, true, [{ system: 'google', account: found.address, confirms: 'protected' }])).toEqual({ ok: true });
    // Granting or restoring access is not held.
    expect(decide(found, p, false)).toEqual({ ok: true });
  });

  it('names why an account is protected', () => {
    expect(protectedBecause(account({ adminRole: 'a delegated admin' }), DEFAULT_ACCOUNT_POLICY)).toBe('a delegated admin');
    expect(protectedBecause(account(), DEFAULT_ACCOUNT_POLICY)).toBeUndefined();
  });

  it('reads the policy a function was given, naming a wrong field', () => {
    expect(parseAccountPolicy(undefined)).toEqual(DEFAULT_ACCOUNT_POLICY);
    expect(parseAccountPolicy(JSON.stringify({ protected: { addresses: ['CEO@Example.com'] } }))).toEqual(policy({ protected: { addresses: ['ceo@example.com'] } }));
    expect(() => parseAccountPolicy(JSON.stringify({ protected: { orgUnits: ['Executives'] } }))).toThrow('accounts.protected.orgUnits.0');
    expect(() => parseAccountPolicy(JSON.stringify({ adoptUnbound: { domains: ['not a domain'] } }))).toThrow('accounts.adoptUnbound.domains.0');
  });
});
