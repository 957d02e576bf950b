/** GoogleServiceAccount: the secret holding the Google service account key, and what binding an action to Google grants it. */
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { ProviderSecret } from './provider-secret';

export interface GoogleServiceAccountProps {
  readonly stage: string;
  readonly settings: StageConfig['google'];
}

export class GoogleServiceAccount extends ProviderSecret {
  constructor(scope: Construct, id: string, { stage, settings }: GoogleServiceAccountProps) {
    super(scope, id, {
      secretId: 'Key',
      description:
        `account-lifecycle ${stage}: key of the Google service account (domain-wide delegation) the Google actions use. ` +
        'After the first deploy, an admin replaces this value with {"client_email": "...", "private_key": "..."} copied from the JSON key file ' +
        'created in the Google Cloud console; until then the Google actions fail with "lacks client_email or private_key".',
      placeholder: JSON.stringify({ client_email: '', private_key: '' }),
      whyNotRotated:
        'A Google service account key is issued by Google Cloud, not generated here; rotating it is creating a new key in Google and pasting it in (runbook), which Secrets Manager rotation cannot do.',
      environment: (arn) => [
        [ENV.googleServiceAccountSecretArn, arn],
        [ENV.googleAdminSubject, settings.adminSubject],
        [ENV.googleCustomerId, settings.customerId],
        [ENV.googleRequestsPerMinute, String(settings.requestsPerMinute)],
      ],
    });
  }
}
