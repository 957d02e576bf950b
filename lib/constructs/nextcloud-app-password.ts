/** NextcloudAppPassword: the secret holding the stage's Nextcloud admin app password, and what binding a Nextcloud action to it grants. */
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { ProviderSecret } from './provider-secret';

export interface NextcloudAppPasswordProps {
  readonly stage: string;
  /** The stage's nextcloud settings; absent: the actions get the secret but no server, and say so when they run. */
  readonly settings: StageConfig['nextcloud'];
}

export class NextcloudAppPassword extends ProviderSecret {
  constructor(scope: Construct, id: string, { stage, settings: s }: NextcloudAppPasswordProps) {
    super(scope, id, {
      secretId: 'AppPassword',
      description:
        `account-lifecycle ${stage}: the app password of the stage's nextcloud.user (an admin) the Nextcloud actions use (Basic auth on the OCS Provisioning API and WebDAV). ` +
        'After the first deploy, an admin replaces this value with {"token": "..."} made in Nextcloud (Personal settings, Security, Devices & sessions, Create new app password); ' +
        'until then the Nextcloud actions fail with "the Nextcloud API token secret is empty".',
      placeholder: JSON.stringify({ token: '' }),
      whyNotRotated:
        'A Nextcloud app password is issued by Nextcloud, not generated here; rotating it is making a new one in Nextcloud and pasting it in (docs/nextcloud.md), which Secrets Manager rotation cannot do.',
      environment: (arn) => [
        [ENV.nextcloudAppPasswordSecretArn, arn],
        ...(s
          ? ([
              [ENV.nextcloudBaseUrl, s.baseUrl],
              [ENV.nextcloudUser, s.user],
              [ENV.nextcloudRequestsPerMinute, String(s.requestsPerMinute)],
            ] as const)
          : []),
      ],
    });
  }
}
