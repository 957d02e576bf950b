/** SCIM apps: one bearer token secret per app, readable by the SCIM action functions alone, which are told each app. */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/shared/env-names';
import { SCIM_TOKEN_PLACEHOLDER } from '../../lambdas/providers/scim/scim-from-env';
import { actionsTemplate, buildStage, type BuiltStage } from './build-stacks';
import { actionsOf, functionsByEntry, logicalId, type Statement } from './template-helpers';

const APPS = { wiki: { baseUrl: 'https://wiki.example.com/scim/v2', requestsPerSecond: 3 }, 'hr-portal': { baseUrl: 'https://hr.example.com/scim/v2' } };
const SCIM_ENTRIES = ['scim-provision-user', 'scim-add-to-groups', 'scim-remove-from-groups', 'scim-deactivate-user', 'scim-reactivate-user'].map((e) => `.build/action-entries/${e}.ts`);

type Policy = { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } };

describe('SCIM app tokens (dev)', () => {
  let built: BuiltStage;
  let actions: Template;
  let secretIds: string[];

  beforeAll(() => {
    built = buildStage('dev', { scimApps: APPS });
    actions = actionsTemplate([built.providers, ...built.actions]);
    secretIds = Object.keys(APPS).map((name) => logicalId(built.providers!.resources.scimTokens!.secrets.get(name)!));
  });

  it('each app gets its own secret holding a placeholder, kept when the stack goes', () => {
    const secrets = actions.findResources('AWS::SecretsManager::Secret');
    for (const [i, name] of Object.keys(APPS).entries()) {
      expect(secrets[secretIds[i]]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { Description: expect.stringContaining(`SCIM app ${name}`), SecretString: SCIM_TOKEN_PLACEHOLDER } });
    }
  });

  it('only the SCIM action functions read the tokens, and each is told the apps by name, URL and secret ARN', () => {
    const fns = functionsByEntry(actions);
    const scimRoles = SCIM_ENTRIES.map((entry) => {
      const fn = fns.get(entry);
      if (!fn) throw new Error(`no function for ${entry}`);
      const env = (fn.properties.Environment as { Variables: Record<string, unknown> }).Variables;
      const apps = JSON.stringify(env[ENV.scimApps]);
      for (const id of secretIds) expect(apps).toContain(id);
      expect(apps).toContain('https://wiki.example.com/scim/v2');
      expect(apps).toContain('tokenArn');
      return (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    });
    const policies = Object.values(actions.findResources('AWS::IAM::Policy')) as Policy[];
    for (const id of secretIds) {
      const readers = policies
        .filter((p) => p.Properties.PolicyDocument.Statement.some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(id)))
        .flatMap((p) => p.Properties.Roles.map((r) => r.Ref));
      expect(new Set(readers)).toEqual(new Set(scimRoles));
    }
  });

  it('the API function is given the app names, to refuse a role naming another', () => {
    const core = Template.fromStack(built.core);
    const api = functionsByEntry(core).get('lambdas/handlers/api.ts');
    expect((api!.properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.scimAppNames]).toBe('wiki,hr-portal');
  });
});
