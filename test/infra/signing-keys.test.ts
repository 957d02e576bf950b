/** Signing keys: one for HR, one per downstream receiver; each readable by the one function that uses it. */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/shared/env-names';
import { actionsTemplate, buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { actionsOf, asArray, functionsByEntry, grantsOf, logicalId, type Statement } from './template-helpers';

const FORWARD_ENTRY = '.build/action-entries/forward-event.ts';
const API_ENTRY = 'lambdas/handlers/api.ts';
const RECEIVERS = [
  { name: 'crm', url: 'https://crm.example.com/hooks/lifecycle' },
  { name: 'billing-eu', url: 'https://billing.example.com/lifecycle' },
];

type Policy = { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } };

/** Role logical ids (as `{Ref}` JSON) of the policies whose statements mention a resource id with `action`. */
function readersOf(template: Template, resourceId: string, action = 'secretsmanager:GetSecretValue'): string[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Policy[];
  return policies
    .filter((p) => p.Properties.PolicyDocument.Statement.some((s) => actionsOf(s).includes(action) && JSON.stringify(s.Resource).includes(resourceId)))
    .flatMap((p) => p.Properties.Roles.map((r) => JSON.stringify(r)));
}

const roleOf = (template: Template, entry: string): string => {
  const fn = functionsByEntry(template).get(entry);
  if (!fn) throw new Error(`no function for ${entry}`);
  return JSON.stringify({ Ref: (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0] });
};

describe.each(DEPLOYED_STAGES)('signing keys (%s)', (stage) => {
  let built: BuiltStage;
  let core: Template;
  let actions: Template;
  let receiverSecretIds: string[];

  beforeAll(() => {
    built = buildStage(stage, { forwardTo: RECEIVERS });
    core = Template.fromStack(built.core);
    actions = actionsTemplate([built.providers, ...built.actions]);
    receiverSecretIds = RECEIVERS.map((r) => logicalId(built.providers!.resources.receiverKeys!.secrets.get(r.name)!));
  });

  it('each receiver gets its own generated secret {"current": …}, kept when the stack goes', () => {
    expect(new Set(receiverSecretIds).size).toBe(RECEIVERS.length);
    const secrets = actions.findResources('AWS::SecretsManager::Secret');
    RECEIVERS.forEach((receiver, i) => {
      expect(secrets[receiverSecretIds[i]]).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          Description: expect.stringContaining(`receiver ${receiver.name}`),
          GenerateSecretString: { GenerateStringKey: 'current', SecretStringTemplate: '{}', PasswordLength: 64 },
        },
      });
    });
    expect(receiverSecretIds).not.toContain(logicalId(built.core.hrKey));
  });

  it('only the forwarding function can read the receiver secrets, and it reads no other secret', () => {
    const forwardRole = roleOf(actions, FORWARD_ENTRY);
    for (const id of receiverSecretIds) expect(readersOf(actions, id)).toEqual([forwardRole]);
    const forwardRoleId = (JSON.parse(forwardRole) as { Ref: string }).Ref;
    const read = grantsOf(actions, forwardRoleId, 'secretsmanager:GetSecretValue')
      .flatMap((s) => asArray(s.Resource))
      .map((r) => JSON.stringify(r))
      .sort();
    expect(read).toEqual(receiverSecretIds.map((id) => JSON.stringify({ Ref: id })).sort());
  });

  it('the forwarding function is told each receiver by name, url and the ARN of its key, and no key value', () => {
    const env = (functionsByEntry(actions).get(FORWARD_ENTRY)?.properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const forwardTo = JSON.stringify(env[ENV.forwardTo]);
    for (const [i, receiver] of RECEIVERS.entries()) {
      expect(forwardTo).toContain(receiver.name);
      expect(forwardTo).toContain(receiver.url);
      expect(forwardTo).toContain(receiverSecretIds[i]);
    }
    expect(forwardTo).toContain('keyArn');
    expect(Object.keys(env)).not.toContain(ENV.hrKeyArn);
  });

  it('only the API function can read the HR key, and nothing in the Actions Stack names it', () => {
    const hrKeyId = logicalId(built.core.hrKey);
    expect(readersOf(core, hrKeyId)).toEqual([roleOf(core, API_ENTRY)]);
    expect(JSON.stringify(actions.toJSON())).not.toContain(hrKeyId);
  });

  it('the table expires remembered refusals through its TTL attribute', () => {
    core.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'deleteAfter', Enabled: true } });
  });
});

describe('forwardTo in the stage config', () => {
  it.each([
    [[{ name: 'crm', url: 'https://a.example.com' }, { name: 'crm', url: 'https://b.example.com' }], 'duplicate receiver name crm'],
    [[{ name: 'CRM', url: 'https://a.example.com' }], 'must be kebab-case'],
    [[{ name: 'crm', url: 'ftp://a.example.com' }], 'must be an http(s) URL'],
  ])('refuses %j at synth, naming the field', (forwardTo, message) => {
    expect(() => buildStage('dev', { forwardTo })).toThrow(message);
  });
});
