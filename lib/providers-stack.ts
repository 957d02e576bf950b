/**
 * Providers Stack: the secrets a stage's actions share (the Google service account key, one signing key per
 * downstream receiver). They live apart from the functions so that moving actions between Actions Stacks never
 * replaces a secret an admin has filled in.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/schema';
import type { ActionSpec } from '../lambdas/actions/catalog';
import { ProviderResources } from './constructs/provider-resources';

export interface ProvidersStackProps extends StackProps {
  readonly config: StageConfig;
  readonly catalog: readonly ActionSpec[];
}

export class ProvidersStack extends Stack {
  readonly resources: ProviderResources;

  constructor(scope: Construct, id: string, props: ProvidersStackProps) {
    super(scope, id, props);
    this.resources = new ProviderResources(this, { config: props.config, catalog: props.catalog });
  }
}
