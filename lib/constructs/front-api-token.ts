/** FrontApiToken: the secret holding the stage's Front company API token, and what binding a Front action to it grants. */
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { ProviderSecret } from './provider-secret';

export interface FrontApiTokenProps {
  readonly stage: string;
  /** The stage's front settings; absent: the actions get the secret but no API roots, and say so when they run. */
  readonly settings: StageConfig['front'];
}

export class FrontApiToken extends ProviderSecret {
  constructor(scope: Construct, id: string, { stage, settings: s }: FrontApiTokenProps) {
    super(scope, id, {
      secretId: 'Token',
      description:
        `account-lifecycle ${stage}: the Front company API token the Front actions use for the Core API and SCIM (Bearer). ` +
        'After the first deploy, an admin replaces this value with {"token": "..."} made in Front (Settings, Developers, API tokens; scopes: Auto Provisioning for SCIM; teammates:read, teams:read, teams:write, inboxes:read, inboxes:write for the Core API); ' +
        'until then the Front actions fail with "the Front API token secret is empty".',
      placeholder: JSON.stringify({ token: '' }),
      whyNotRotated:
        'A Front API token is issued by Front, not generated here; rotating it is making a new token in Front and pasting it in (docs/front.md), which Secrets Manager rotation cannot do.',
      environment: (arn) => [
        [ENV.frontTokenSecretArn, arn],
        ...(s
          ? ([
              [ENV.frontBaseUrl, s.baseUrl],
              [ENV.frontScimBaseUrl, s.scimBaseUrl],
              [ENV.frontRequestsPerMinute, String(s.requestsPerMinute)],
            ] as const)
          : []),
      ],
    });
  }
}
