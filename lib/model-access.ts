/**
 * How analyst phases reach Claude: the Anthropic API with a key kept in Secrets Manager (created
 * empty; the operator puts the key in, and until then the offline analyst answers), or Bedrock
 * with InvokeModel scoped to exactly the configured models.
 */
import { Aws, type CfnResource, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../runtime/env.js';
import type { DeployConfig } from './config.js';
import { acknowledgeWildcardResource } from './nag.js';

const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\.(.+)$/;

/** The ARNs InvokeModel needs for one model id, inference profiles included. */
export function bedrockModelArns(modelId: string): string[] {
  const profile = PROFILE_PREFIX.exec(modelId);
  if (!profile) return [`arn:${Aws.PARTITION}:bedrock:${Aws.REGION}::foundation-model/${modelId}`];
  const [, geo, baseId] = profile;
  return [
    `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:inference-profile/${modelId}`,
    // A cross-region profile routes each request to the model in one of the profile's regions.
    `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${baseId}`,
    // A global profile's model ARN also appears without a region.
    ...(geo === 'global' ? [`arn:${Aws.PARTITION}:bedrock:::foundation-model/${baseId}`] : []),
  ];
}

export class ModelAccess extends Construct {
  /** Present when the provider is the Anthropic API. */
  readonly anthropicKey?: Secret;

  constructor(
    scope: Construct,
    id: string,
    private readonly config: DeployConfig,
  ) {
    super(scope, id);
    if (config.model.provider === 'anthropic') {
      this.anthropicKey = new Secret(this, 'AnthropicApiKey', {
        description: 'Firebreak: Anthropic API key. Empty until the operator puts one in (docs/deploy.md).',
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Created without a value: a generated password would look like a key and fail every call.
      (this.anthropicKey.node.defaultChild as CfnResource).addPropertyDeletionOverride(
        'GenerateSecretString',
      );
      Validations.of(this.anthropicKey).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'An Anthropic API key is issued by Anthropic, not by a rotation Lambda; the operator rotates it in the Anthropic console and updates the secret.',
      });
    }
  }

  /** What an analyst phase reads (runtime/analyst.ts). */
  environment(): Record<string, string> {
    const { model } = this.config;
    return {
      [ENV.modelProvider]: model.provider,
      [ENV.fastModel]: model.fastModel,
      [ENV.strongModel]: model.strongModel,
      ...(this.anthropicKey ? { [ENV.anthropicSecretArn]: this.anthropicKey.secretArn } : {}),
    };
  }

  /** Read the API key, or invoke exactly the configured Bedrock models. */
  grantTo(fn: LambdaFunction & IGrantable): void {
    const { model } = this.config;
    if (this.anthropicKey) {
      this.anthropicKey.grantRead(fn);
      return;
    }
    const resources = [...new Set([model.fastModel, model.strongModel].flatMap(bedrockModelArns))];
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'InvokeConfiguredModels',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources,
      }),
    );
    for (const arn of resources.filter((r) => r.includes('*'))) {
      acknowledgeWildcardResource(
        fn.role ?? fn,
        arn,
        'A cross-region inference profile sends each request to the configured model in any of its regions; the ARN names that one model.',
      );
    }
  }
}
