/** OpenProjectApiToken: the secret holding the stage's OpenProject API token, and what binding an OpenProject action to it grants. */
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { ProviderSecret } from './provider-secret';

export interface OpenProjectApiTokenProps {
  readonly stage: string;
  /** The stage's openproject settings; absent: the actions get the secret but no instance, and say so when they run. */
  readonly settings: StageConfig['openproject'];
}

export class OpenProjectApiToken extends ProviderSecret {
  constructor(scope: Construct, id: string, { stage, settings: s }: OpenProjectApiTokenProps) {
    super(scope, id, {
      secretId: 'Token',
      description:
        `account-lifecycle ${stage}: the API token of an OpenProject administrator the OpenProject actions and member tasks use (Basic auth apikey:<token> on API v3). ` +
        'After the first deploy, the administrator replaces this value with {"token": "..."} made in OpenProject (My account, Access tokens, API); ' +
        'until then the OpenProject actions fail with "the OpenProject API token secret is empty".',
      placeholder: JSON.stringify({ token: '' }),
      whyNotRotated:
        'An OpenProject API token is issued by OpenProject, not generated here; rotating it is making a new one in OpenProject and pasting it in (docs/openproject.md), which Secrets Manager rotation cannot do.',
      environment: (arn) => [
        [ENV.openprojectTokenSecretArn, arn],
        ...(s
          ? ([
              [ENV.openprojectBaseUrl, s.baseUrl],
              [ENV.openprojectEmployeeIdField, s.employeeIdField],
              [ENV.openprojectRequestsPerMinute, String(s.requestsPerMinute)],
            ] as const)
          : []),
      ],
    });
  }
}
