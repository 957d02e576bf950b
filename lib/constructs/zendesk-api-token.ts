/** ZendeskApiToken: the secret holding the stage's Zendesk API token, and what binding a Zendesk action to it grants. */
import type { Construct } from 'constructs';
import type { StageConfig } from '../../config/schema';
import { ENV } from '../../lambdas/shared/env-names';
import { zendeskBaseUrl } from '../../lambdas/providers/zendesk/zendesk-client';
import { ProviderSecret } from './provider-secret';

export interface ZendeskApiTokenProps {
  readonly stage: string;
  /** The stage's zendesk settings; absent: the actions get the secret but no account, and say so when they run. */
  readonly settings: StageConfig['zendesk'];
}

export class ZendeskApiToken extends ProviderSecret {
  constructor(scope: Construct, id: string, { stage, settings: s }: ZendeskApiTokenProps) {
    super(scope, id, {
      secretId: 'Token',
      description:
        `account-lifecycle ${stage}: the Zendesk API token the Zendesk actions use with the stage's zendesk.email (Basic {email}/token:{token}). ` +
        'After the first deploy, an admin replaces this value with {"token": "..."} made in Zendesk Admin Center (Apps and integrations, Zendesk API); ' +
        'until then the Zendesk actions fail with "the Zendesk API token secret is empty".',
      placeholder: JSON.stringify({ token: '' }),
      whyNotRotated:
        'A Zendesk API token is issued by Zendesk, not generated here; rotating it is making a new token in Zendesk and pasting it in (docs/zendesk.md), which Secrets Manager rotation cannot do.',
      environment: (arn) => [
        [ENV.zendeskTokenSecretArn, arn],
        ...(s
          ? ([
              [ENV.zendeskBaseUrl, zendeskBaseUrl(s.baseUrl ?? s.subdomain!)],
              [ENV.zendeskEmail, s.email],
              [ENV.zendeskLeaverTicketGroup, s.leaverTicketGroup],
              [ENV.zendeskRequestsPerMinute, String(s.requestsPerMinute)],
            ] as const)
          : []),
      ],
    });
  }
}
