/**
 * Rotate credentials: ask Secrets Manager to rotate a secret now, through the rotation already
 * configured for it — a rotation function, or managed rotation by the service that owns the secret
 * (RDS, Aurora, Redshift…: RotationEnabled with an OwningService and no RotationLambdaARN; Secrets
 * Manager user guide, "Managed rotation"). Firebreak never sees or chooses the new value.
 */
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ActionRefused, changeOutcome } from '../../../domain/actions/outcome.js';
import type { RotatableSecret } from '../../../domain/actions/resources.js';
import type { MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome } from '../../../domain/ports.js';

export async function rotateSecret(
  secrets: SecretsManagerClient,
  res: RotatableSecret,
  _action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: res.secretId }));
  if (!described.RotationEnabled || !(described.RotationLambdaARN || described.OwningService)) {
    throw new ActionRefused(
      `secret ${described.Name ?? res.secretId} has no rotation configured; rotate it by hand`,
    );
  }
  // A rotation is in progress while AWSPENDING labels a version other than AWSCURRENT's; the label
  // left on the current version by a finished rotation is not one (Secrets Manager user guide,
  // "Troubleshoot rotation").
  const pending = Object.entries(described.VersionIdsToStages ?? {}).some(
    ([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
  );
  if (pending) throw new ActionRefused(`secret ${described.Name ?? res.secretId} is already being rotated`);
  const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, s]) =>
    s.includes('AWSCURRENT'),
  )?.[0];
  const before = {
    secret: described.Name ?? res.secretId,
    currentVersion: current ?? null,
    lastRotated: described.LastRotatedDate?.toISOString() ?? null,
  };
  const change = `Secrets Manager ${before.secret}: rotate now (last rotated ${before.lastRotated ?? 'never'})`;
  return changeOutcome(dryRun, { before, expected: before, detail: change }, async () => {
    const out = await secrets.send(
      new RotateSecretCommand({ SecretId: res.secretId, RotateImmediately: true }),
    );
    return { ...before, newVersion: out.VersionId ?? null };
  });
}
