/**
 * Rollback of a Lambda function: move its alias back to an earlier published version, clearing any
 * weighted (canary) routing. During a canary (the alias's version plus AdditionalVersionWeights on a
 * newer one) the version the alias names is the last good one: the rollback clears the canary and
 * stays there. The write carries the alias's RevisionId, so an alias changed since it was read is
 * not overwritten (Lambda API reference, UpdateAlias: RevisionId). Never touches $LATEST or the code.
 */
import {
  GetAliasCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { ActionRefused, alreadyDone, changeOutcome } from '../../../domain/actions/outcome.js';
import type { LambdaResource } from '../../../domain/actions/resources.js';
import type { MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome } from '../../../domain/ports.js';

interface Version {
  version: number;
  description: string;
}

async function publishedVersions(lambda: LambdaClient, functionName: string): Promise<Version[]> {
  const out: Version[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker }),
    );
    for (const v of page.Versions ?? []) {
      if (v.Version && /^\d+$/.test(v.Version))
        out.push({ version: Number(v.Version), description: v.Description ?? '' });
    }
    marker = page.NextMarker;
  } while (marker && out.length < 2_000);
  return out.sort((a, b) => b.version - a.version);
}

/**
 * The version to roll back to: an explicit number, a release label found in a version's
 * description (CI usually writes the release there), or else the newest version below the current.
 */
function chooseTarget(
  versions: Version[],
  current: number,
  toVersion: string | undefined,
  canary: boolean,
): Version {
  const older = versions.filter((v) => v.version < current);
  if (toVersion === undefined) {
    if (canary) {
      const primary = versions.find((v) => v.version === current);
      if (primary) return primary;
    }
    if (!older[0])
      throw new ActionRefused(`there is no published version older than ${current} to roll back to`);
    return older[0];
  }
  if (/^\d+$/.test(toVersion)) {
    const exact = versions.find((v) => v.version === Number(toVersion));
    if (!exact) throw new ActionRefused(`version ${toVersion} is not a published version`);
    return exact;
  }
  const label = new RegExp(
    `(^|[^A-Za-z0-9.])${toVersion.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9.])`,
  );
  const labelled = older.find((v) => label.test(v.description));
  if (!labelled)
    throw new ActionRefused(`no published version older than ${current} is described as ${toVersion}`);
  return labelled;
}

export async function rollbackLambdaAlias(
  lambda: LambdaClient,
  res: LambdaResource,
  action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: res.functionName, Name: res.alias }));
  const currentText = alias.FunctionVersion ?? '';
  if (!/^\d+$/.test(currentText)) {
    throw new ActionRefused(
      `alias ${res.alias} points at ${currentText || 'nothing'}, not a published version`,
    );
  }
  const current = Number(currentText);
  const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
  const before = { alias: res.alias, functionName: res.functionName, version: currentText, weights };
  const toVersion = action.params.toVersion === undefined ? undefined : String(action.params.toVersion);
  const fromVersion = action.params.fromVersion === undefined ? undefined : String(action.params.fromVersion);
  const where = `Lambda ${res.functionName} alias ${res.alias}`;
  // Pinned by the approved plan: a retry after success finds the alias already there.
  if (toVersion && /^\d+$/.test(toVersion) && Number(toVersion) === current && !Object.keys(weights).length) {
    return alreadyDone(dryRun, before, `${where} is at version ${current}`);
  }
  if (fromVersion && /^\d+$/.test(fromVersion) && Number(fromVersion) !== current) {
    throw new ActionRefused(`${where} moved from ${fromVersion} to ${current} since the plan; ask again`);
  }
  // A canary toward a newer version: the alias's own version is the one that worked.
  const canary = Object.keys(weights).some((v) => /^\d+$/.test(v) && Number(v) > current);
  const target = chooseTarget(await publishedVersions(lambda, res.functionName), current, toVersion, canary);
  const cleared = canary
    ? ` and clear the canary (${Object.entries(weights)
        .map(([v, w]) => `${v} at ${Math.round(w * 100)}%`)
        .join(', ')})`
    : '';
  const change = `${where}: version ${current} -> ${target.version}${target.description ? ` (${target.description.slice(0, 80)})` : ''}${cleared}`;
  const plan = {
    before,
    expected: { ...before, version: String(target.version), weights: {} },
    detail: change,
    resolvedParams: { fromVersion: String(current), toVersion: String(target.version) },
  };
  return changeOutcome(dryRun, plan, async () => {
    const out = await lambda.send(
      new UpdateAliasCommand({
        FunctionName: res.functionName,
        Name: res.alias,
        FunctionVersion: String(target.version),
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: alias.RevisionId,
      }),
    );
    return {
      ...before,
      version: out.FunctionVersion ?? String(target.version),
      weights: out.RoutingConfig?.AdditionalVersionWeights ?? {},
    };
  });
}
