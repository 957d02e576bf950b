/** Least privilege, statement by statement: each function can do its job and nothing next to it. */
import { PRIORITY_CLASSES } from '../../config/priority';
import { Template } from 'aws-cdk-lib/assertions';
import type { CoreStack } from '../../lib/core-stack';
import { KEY_ADMIN_ACTIONS } from '../../lib/constructs/attestation-key';
import { actionsTemplate, buildStage, DEPLOYED_STAGES, type BuiltStage } from './build-stacks';
import { actionsOf, allStatements, asArray, ownStatements, grantsOf, logicalId, statementsOfRole, type Statement } from './template-helpers';

type EngineFunction = keyof CoreStack['functions'];
const ENGINE: EngineFunction[] = ['api', 'sweep', 'dispatcher', 'deadLetter'];

describe.each(DEPLOYED_STAGES)('IAM (%s)', (stage) => {
  let built: BuiltStage;
  let core: Template;
  let actions: Template;
  const roleId = (name: EngineFunction): string => logicalId(built.core.functions[name].role);
  const ref = (construct: Parameters<typeof logicalId>[0]): unknown => ({ Ref: logicalId(construct) });
  const arnOf = (construct: Parameters<typeof logicalId>[0]): unknown => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
  const holders = (action: string): EngineFunction[] => ENGINE.filter((name) => grantsOf(core, roleId(name), action).length > 0);

  beforeAll(() => {
    built = buildStage(stage);
    core = Template.fromStack(built.core);
    actions = actionsTemplate(built.actions);
  });

  it('every engine function reads and writes the table, and nothing else in the core touches it', () => {
    expect(holders('dynamodb:PutItem')).toEqual(ENGINE);
    const tableGrants = allStatements(core).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    for (const s of tableGrants) {
      expect(asArray(s.Resource)).toEqual([arnOf(built.core.table.table), { 'Fn::Join': ['', [arnOf(built.core.table.table), '/index/*']] }]);
    }
  });

  const stepQueueArns = () => PRIORITY_CLASSES.map((c) => arnOf(built.core.steps.queues[c])).sort(byJson);
  const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

  it('only the api, the sweep and the dispatcher may enqueue steps, on the steps queues only', () => {
    expect(holders('sqs:SendMessage')).toEqual(['api', 'sweep', 'dispatcher']);
    for (const name of ['api', 'sweep', 'dispatcher'] as const) {
      expect(grantsOf(core, roleId(name), 'sqs:SendMessage').flatMap((s) => asArray(s.Resource)).sort(byJson)).toEqual(stepQueueArns());
    }
  });

  it('the dispatcher may change a message visibility (its backoff) on the steps queues', () => {
    expect(grantsOf(core, roleId('dispatcher'), 'sqs:ChangeMessageVisibility').flatMap((s) => asArray(s.Resource)).sort(byJson)).toEqual(stepQueueArns());
  });

  it('only the api (intake alerts), the dispatcher and the dead-letter handler publish alerts, to the operator topic only', () => {
    expect(holders('sns:Publish')).toEqual(['api', 'dispatcher', 'deadLetter']);
    for (const name of ['api', 'dispatcher', 'deadLetter'] as const) {
      expect(grantsOf(core, roleId(name), 'sns:Publish').map((s) => s.Resource)).toEqual([ref(built.core.alerts.topic)]);
    }
  });

  it('only the api reads secrets in the core: the HR signing key and the Notion token of the role catalog', () => {
    expect(holders('secretsmanager:GetSecretValue')).toEqual(['api']);
    expect(grantsOf(core, roleId('api'), 'secretsmanager:GetSecretValue').flatMap((s) => asArray(s.Resource))).toEqual([
      ref(built.core.hrKey),
      ref(built.core.roleCatalog.token),
    ]);
  });

  it("the dispatcher's SSM right is GetParametersByPath on its stage's registry path and nothing else", () => {
    const ssm = allStatements(core).filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(statementsOfRole(core, roleId('dispatcher'))).toContainEqual(ssm[0]);
    expect(actionsOf(ssm[0])).toEqual(['ssm:GetParametersByPath']);
    const resource = JSON.stringify(ssm[0].Resource);
    expect(resource).toMatch(new RegExp(`:parameter/account-lifecycle/${stage}/actions"\\]\\]\\}$`));
    expect(resource).not.toContain('*');
  });

  it('only the dispatcher may invoke the actions (their stage prefix, one statement); the api only the directory read function, by name', () => {
    const invoke = allStatements(core).filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(2);
    const actionsInvoke = invoke.find((s) => s.Sid === 'InvokeActions')!;
    expect(statementsOfRole(core, roleId('dispatcher'))).toContainEqual(actionsInvoke);
    expect(actionsInvoke).toMatchObject({ Sid: 'InvokeActions', Action: 'lambda:InvokeFunction' });
    expect(JSON.stringify(actionsInvoke.Resource)).toMatch(new RegExp(`:function:lifecycle-${stage}-action-\\*"\\]\\]\\}$`));
    const directoryInvoke = invoke.find((s) => s.Sid === 'InvokeDirectoryRead')!;
    expect(statementsOfRole(core, roleId('api'))).toContainEqual(directoryInvoke);
    expect(JSON.stringify(directoryInvoke.Resource)).toMatch(new RegExp(`:function:lifecycle-${stage}-directory-read"\\]\\]\\}$`));
  });

  it.each(['core', 'actions'] as const)('in the %s stack, Resource "*" is granted only for X-Ray', (which) => {
    const template = which === 'core' ? core : actions;
    const starred = ownStatements(template).filter((s: Statement) => s.Effect === 'Allow' && asArray(s.Resource).includes('*'));
    expect(starred.length).toBeGreaterThan(0);
    for (const s of starred) expect(actionsOf(s).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it.each(['core', 'actions'] as const)('in the %s stack, the only wildcard actions are KMS data-key actions', (which) => {
    const template = which === 'core' ? core : actions;
    const wildcards = new Set(ownStatements(template).flatMap(actionsOf).filter((a) => a.includes('*')));
    expect([...wildcards].filter((a) => !['kms:GenerateDataKey*', 'kms:ReEncrypt*'].includes(a))).toEqual([]);
  });

  it('actions get no queue, topic or registry access, and table and KMS rights only for credential records and the Google budget', () => {
    const granted = allStatements(actions).flatMap(actionsOf);
    expect(granted.filter((a) => /^(sqs|sns|ssm):/.test(a))).toEqual([]);
    const credentialSids = ['CredentialRecords', 'CredentialRecordsTableKey', 'SealInitialPasswords', 'GoogleBudgetWindows', 'GoogleBudgetTableKey', 'ConnectBudgetWindows', 'ConnectBudgetTableKey'];
    for (const s of allStatements(actions).filter((x) => x.Sid === 'GoogleBudgetWindows')) {
      expect(s).toMatchObject({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['BUDGET#google'] } } });
    }
    const outside = allStatements(actions).filter((s) => actionsOf(s).some((a) => /^(dynamodb|kms):/.test(a)) && !credentialSids.includes(s.Sid ?? ''));
    expect(outside).toEqual([]);
    for (const s of allStatements(actions).filter((x) => x.Sid === 'ConnectBudgetWindows')) {
      expect(s).toMatchObject({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': expect.anything() } } });
      const leading = (s.Condition as { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': string | string[] } })['ForAllValues:StringEquals']['dynamodb:LeadingKeys'];
      expect([leading].flat().every((k) => k.startsWith('BUDGET#connect.'))).toBe(true);
    }
    for (const s of allStatements(actions).filter((x) => x.Sid === 'CredentialRecordsTableKey' || x.Sid === 'GoogleBudgetTableKey' || x.Sid === 'ConnectBudgetTableKey')) {
      expect(s.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } });
    }
  });

  it('the api alone may open sealed passwords: kms:Decrypt on the credential key, naming the employee', () => {
    const keyArn = arnOf(built.core.initialPasswordKey.key);
    const holders = ENGINE.filter((name) => grantsOf(core, roleId(name), 'kms:Decrypt').some((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn)));
    expect(holders).toEqual(['api']);
    const open = grantsOf(core, roleId('api'), 'kms:Decrypt').filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ Sid: 'OpenInitialPasswords', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['employeeId'] } } });
    expect(allStatements(core).filter((s) => actionsOf(s).includes('kms:Encrypt') && JSON.stringify(s.Resource) === JSON.stringify(keyArn))).toEqual([]);
  });

  it('the api alone may sign attestations: kms:Sign (ECDSA_SHA_256 over a digest) and kms:GetPublicKey, on the attestation key only', () => {
    const keyArn = arnOf(built.core.attestationKey.key);
    expect(holders('kms:Sign')).toEqual(['api']);
    expect(holders('kms:GetPublicKey')).toEqual(['api']);
    expect(grantsOf(core, roleId('api'), 'kms:Sign')).toEqual([
      { Sid: 'SignAttestations', Effect: 'Allow', Action: 'kms:Sign', Resource: keyArn, Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } } },
    ]);
    expect(grantsOf(core, roleId('api'), 'kms:GetPublicKey')).toEqual([{ Sid: 'ReadAttestationPublicKey', Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: keyArn }]);
    // Nothing else anywhere may sign with it, nor use it for anything else.
    const onKey = [...allStatements(core), ...allStatements(actions)].filter((s) => JSON.stringify(s.Resource).includes(logicalId(built.core.attestationKey.key)));
    expect(onKey.map((s) => s.Sid).sort()).toEqual(['ReadAttestationPublicKey', 'SignAttestations']);
    expect(allStatements(actions).filter((s) => actionsOf(s).some((a) => a === 'kms:Sign' || a === 'kms:GetPublicKey'))).toEqual([]);
  });

  it("the attestation key's own policy: the account administers it but may not sign, every principal but the api's role is denied kms:Sign", () => {
    const key = core.toJSON().Resources[logicalId(built.core.attestationKey.key)];
    const statements = key.Properties.KeyPolicy.Statement as (Statement & { Principal?: unknown })[];
    const apiRoleArn = arnOf(built.core.functions.api.role);
    const root = (s: { Principal?: unknown }) => JSON.stringify(s.Principal).includes(':root');
    // Nothing allows the account (and so any IAM policy in it) to sign: no kms:Sign, no kms:*, no kms:S*.
    const rootAllows = statements.filter((s) => s.Effect === 'Allow' && root(s));
    expect(rootAllows).toHaveLength(1);
    expect(actionsOf(rootAllows[0]).sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
    for (const s of statements.filter((st) => st.Effect === 'Allow')) {
      for (const a of actionsOf(s)) {
        if (a === 'kms:Sign' || a === 'kms:*' || a === '*' || (a.endsWith('*') && 'kms:Sign'.startsWith(a.slice(0, -1)))) expect({ sid: s.Sid, principal: s.Principal }).toEqual({ sid: 'ApiSignsAttestations', principal: { AWS: apiRoleArn } });
      }
    }
    expect(statements.find((s) => s.Sid === 'OnlyTheApiSigns')).toEqual({
      Sid: 'OnlyTheApiSigns',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': apiRoleArn } },
    });
    expect(statements.find((s) => s.Sid === 'ApiSignsAttestations')).toEqual({
      Sid: 'ApiSignsAttestations',
      Effect: 'Allow',
      Principal: { AWS: apiRoleArn },
      Action: 'kms:Sign',
      Resource: '*',
      Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } },
    });
    expect(statements.find((s) => s.Sid === 'ApiReadsThePublicKey')).toEqual({ Sid: 'ApiReadsThePublicKey', Effect: 'Allow', Principal: { AWS: apiRoleArn }, Action: 'kms:GetPublicKey', Resource: '*' });
    expect(statements.map((s) => s.Sid).sort()).toEqual(['AccountAdministersTheKey', 'ApiReadsThePublicKey', 'ApiSignsAttestations', 'OnlyTheApiSigns']);
  });

  it('the attestation key is an ECC_NIST_P256 signing key, kept on delete, and the api is told its ARN', () => {
    const key = core.toJSON().Resources[logicalId(built.core.attestationKey.key)];
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' } });
    expect(key.Properties.EnableKeyRotation).not.toBe(true);
    const api = core.toJSON().Resources[logicalId(built.core.functions.api.function)];
    expect(api.Properties.Environment.Variables.LIFECYCLE_ATTESTATION_KEY_ARN).toEqual(arnOf(built.core.attestationKey.key));
  });
});
