/**
 * Feature flag in AWS AppConfig: write a new version of a hosted feature-flag profile with one flag
 * switched, then deploy it with the configured strategy. The optimistic lock (LatestVersionNumber)
 * refuses the write if someone else changed the profile in between.
 */
import {
  type AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetConfigurationProfileCommand,
  GetHostedConfigurationVersionCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import type { Incident, MitigationAction } from '../model.js';
import type { ActionOutcome } from '../ports.js';
import { ActionRefused, alreadyDone } from './outcome.js';
import type { AppConfigFlag } from './resources.js';

interface FlagDocument {
  flags?: Record<string, unknown>;
  values?: Record<string, { enabled?: boolean } & Record<string, unknown>>;
  version?: string;
}

function desiredState(value: unknown): boolean {
  if (value === undefined) return false; // the usual mitigation: turn the new thing off
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ActionRefused('enabled must be true or false');
}

export async function setAppConfigFlag(
  appConfig: AppConfigClient,
  res: AppConfigFlag,
  action: MitigationAction,
  dryRun: boolean,
  incident: Incident,
): Promise<ActionOutcome> {
  const enabled = desiredState(action.params.enabled);
  const ids = { ApplicationId: res.applicationId, ConfigurationProfileId: res.configurationProfileId };
  const profile = await appConfig.send(new GetConfigurationProfileCommand(ids));
  if (profile.Type !== 'AWS.AppConfig.FeatureFlags' || profile.LocationUri !== 'hosted') {
    throw new ActionRefused(`profile ${res.configurationProfileId} is not a hosted feature-flag profile`);
  }
  const list = await appConfig.send(new ListHostedConfigurationVersionsCommand({ ...ids, MaxResults: 1 }));
  const latest = list.Items?.[0]?.VersionNumber;
  if (!latest) throw new ActionRefused(`profile ${res.configurationProfileId} has no hosted version yet`);
  const current = await appConfig.send(
    new GetHostedConfigurationVersionCommand({ ...ids, VersionNumber: latest }),
  );
  let doc: FlagDocument;
  try {
    doc = JSON.parse(Buffer.from(current.Content ?? new Uint8Array()).toString('utf8')) as FlagDocument;
  } catch {
    throw new ActionRefused(`version ${latest} of ${res.configurationProfileId} is not valid JSON`);
  }
  if (!doc.flags || !(res.flag in doc.flags))
    throw new ActionRefused(`flag ${res.flag} is not defined in the profile`);
  const was = doc.values?.[res.flag]?.enabled === true;
  const before = { flag: res.flag, enabled: was, version: latest };
  const where = `AppConfig flag ${res.flag} (application ${res.applicationId}, environment ${res.environmentId})`;
  if (was === enabled) return alreadyDone(dryRun, before, `${where} is already ${enabled ? 'on' : 'off'}`);
  const change = `${where}: ${was ? 'on' : 'off'} -> ${enabled ? 'on' : 'off'}, deployed with ${res.deploymentStrategyId}`;
  const resolvedParams = { enabled };
  if (dryRun)
    return { status: 'dry-run', before, after: { ...before, enabled }, detail: change, resolvedParams };
  const next: FlagDocument = {
    ...doc,
    values: { ...doc.values, [res.flag]: { ...(doc.values?.[res.flag] ?? {}), enabled } },
  };
  const created = await appConfig.send(
    new CreateHostedConfigurationVersionCommand({
      ...ids,
      Content: Buffer.from(JSON.stringify(next)),
      ContentType: 'application/json',
      LatestVersionNumber: latest,
      Description: `Firebreak ${incident.id}: ${res.flag} ${enabled ? 'on' : 'off'}`.slice(0, 1024),
    }),
  );
  const deployment = await appConfig.send(
    new StartDeploymentCommand({
      ...ids,
      EnvironmentId: res.environmentId,
      ConfigurationVersion: String(created.VersionNumber),
      DeploymentStrategyId: res.deploymentStrategyId,
      Description: `Firebreak mitigation for ${incident.id}`.slice(0, 1024),
    }),
  );
  return {
    status: 'applied',
    before,
    after: {
      flag: res.flag,
      enabled,
      version: created.VersionNumber,
      deploymentNumber: deployment.DeploymentNumber,
      deploymentState: deployment.State,
    },
    detail: change,
  };
}
