/** The initial-password key: its own key in the Core Stack, rotating, kept on delete, used by the api and createUser only. */
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/shared/env-names';
import { actionsTemplate, buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { functionsByEntry, logicalId, resourceOf } from './template-helpers';

describe.each(DEPLOYED_STAGES)('credential vault (%s)', (stage) => {
  let built: BuiltStage;
  let core: Template;

  beforeAll(() => {
    built = buildStage(stage);
    core = Template.fromStack(built.core);
  });

  it('is a key of its own, not the data key, with rotation on and kept when the stack goes', () => {
    const id = logicalId(built.core.initialPasswordKey.key);
    const key = resourceOf(core, 'AWS::KMS::Key', id);
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true });
    expect(key.DeletionPolicy).toBe('Retain');
    expect(id).not.toBe(logicalId(built.core.table.table.encryptionKey!));
  });

  it('names the key to the api function, which reveals', () => {
    const api = functionsByEntry(core).get('lambdas/handlers/api.ts');
    const env = (api?.properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.credentialKeyArn]).toEqual({ 'Fn::GetAtt': [logicalId(built.core.initialPasswordKey.key), 'Arn'] });
  });

  it('names the key to google.createUser, which seals, and to no other action', () => {
    const actions = functionsByEntry(actionsTemplate(built.actions));
    const named = [...actions].filter(([, f]) => ENV.credentialKeyArn in (f.properties.Environment as { Variables: object }).Variables).map(([entry]) => entry);
    expect(named).toEqual(['.build/action-entries/google-create-user.ts']);
  });
});
