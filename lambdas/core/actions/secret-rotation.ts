/**
 * Rotate credentials: ask Secrets Manager to rotate a secret now, through the rotation function
 * already configured for it. Firebreak never sees or chooses the new value.
 */
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { MitigationAction } from '../model.js';
import type { ActionOutcome } from '../ports.js';
import { ActionRefused } from './outcome.js';
import type { RotatableSecret } from './resources.js';

export async function rotateSecret(
  secrets: SecretsManagerClient,
  res: RotatableSecret,
  _action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: res.secretId }));
  if (!described.RotationEnabled || !described.RotationLambdaARN) {
    throw new ActionRefused(
      `secret ${described.Name ?? res.secretId} has no rotation configured; rotate it by hand`,
    );
  }
  const pending = Object.entries(described.VersionIdsToStages ?? {}).some(([, stages]) =>
    stages.includes('AWSPENDING'),
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
  if (dryRun) return { status: 'dry-run', before, after: before, detail: change };
  const out = await secrets.send(
    new RotateSecretCommand({ SecretId: res.secretId, RotateImmediately: true }),
  );
  return {
    status: 'applied',
    before,
    after: { ...before, newVersion: out.VersionId ?? null },
    detail: change,
  };
}
