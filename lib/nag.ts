/**
 * Acknowledging a cdk-nag (AwsSolutions) finding always takes a reason, written where the finding
 * is caused. IAM5 findings name the exact wildcard, so each acknowledgement covers one wildcard on
 * one principal, never the rule as a whole.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** The text cdk-nag prints for a (possibly tokenized) ARN: `<LogicalId.Arn>/index/*`. */
export const nagText = (scope: IConstruct, arn: string): string =>
  flattenCfnReference(Stack.of(scope).resolve(arn));

/** Acknowledges one wildcard resource in the policies of `principal` (a role, or a construct above it). */
export function acknowledgeWildcardResource(principal: IConstruct, arn: string, reason: string): void {
  Validations.of(principal).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagText(principal, arn)}]`,
    reason,
  });
}

/** Acknowledges one wildcard action (`kms:GenerateDataKey*`) in the policies of `principal`. */
export function acknowledgeWildcardAction(principal: IConstruct, action: string, reason: string): void {
  Validations.of(principal).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}

/**
 * CDK's grants on a customer-managed key (table encrypt/decrypt, topic publish) include
 * `kms:GenerateDataKey*` and `kms:ReEncrypt*`; the statement names that one key.
 */
export function acknowledgeKmsGrant(principal: IConstruct): void {
  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    acknowledgeWildcardAction(
      principal,
      action,
      "Action family CDK grants for envelope encryption with a Firebreak-owned key; the statement's resource is that key only.",
    );
  }
}
