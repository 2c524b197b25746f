/**
 * Feature flag in AWS AppConfig: write a new version of a hosted feature-flag profile with one flag
 * switched, then deploy it with the configured strategy. The optimistic lock (LatestVersionNumber)
 * refuses the write if someone else changed the profile in between.
 *
 * What counts as "already done" is the version the environment was last deployed with
 * (ListDeployments), not the newest hosted version: a retry after a StartDeployment that failed
 * (a throttle, or ConflictException while another deployment of the environment was still baking;
 * AppConfig API reference, StartDeployment) finds its own new version written but never deployed,
 * and deploys it rather than reporting success for a flag clients never received.
 */
import {
  type AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  type DeploymentSummary,
  GetConfigurationProfileCommand,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { ActionRefused, alreadyDone, changeOutcome } from '../../../domain/actions/outcome.js';
import type { AppConfigFlag } from '../../../domain/actions/resources.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome } from '../../../domain/ports.js';

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
  const read = async (version: number) => {
    const out = await appConfig.send(
      new GetHostedConfigurationVersionCommand({ ...ids, VersionNumber: version }),
    );
    try {
      const doc = JSON.parse(Buffer.from(out.Content ?? new Uint8Array()).toString('utf8')) as FlagDocument;
      return { doc, description: out.Description ?? '' };
    } catch {
      throw new ActionRefused(`version ${version} of ${res.configurationProfileId} is not valid JSON`);
    }
  };
  const deployments = await environmentDeployments(appConfig, res);
  const busy = deployments.find((d) => IN_PROGRESS.has(d.State ?? ''));
  const ours = deployments.filter((d) => d.ConfigurationProfileId === res.configurationProfileId);
  // The newest deployment of this profile that is live or going live; nothing deployed yet means
  // the newest hosted version is the best statement of intent there is.
  const deployedVersion = Number(ours.find((d) => LIVE.has(d.State ?? ''))?.ConfigurationVersion ?? latest);
  const base = await read(latest);
  const doc = base.doc;
  if (!doc.flags || !(res.flag in doc.flags))
    throw new ActionRefused(`flag ${res.flag} is not defined in the profile`);
  const deployed = deployedVersion === latest ? base : await read(deployedVersion);
  const was = deployed.doc.values?.[res.flag]?.enabled === true;
  const before = { flag: res.flag, enabled: was, version: deployedVersion };
  const where = `AppConfig flag ${res.flag} (application ${res.applicationId}, environment ${res.environmentId})`;
  if (was === enabled) return alreadyDone(dryRun, before, `${where} is already ${enabled ? 'on' : 'off'}`);
  if (busy) {
    // One deployment at a time per environment: StartDeployment would fail with ConflictException.
    throw new ActionRefused(
      `${where}: deployment ${busy.DeploymentNumber} of the environment is ${busy.State}; it must finish first`,
    );
  }
  const description = `Firebreak ${incident.id}: ${res.flag} ${enabled ? 'on' : 'off'}`.slice(0, 1024);
  // Our own version from an earlier attempt whose deployment never started: deploy it, write nothing.
  const reuse =
    latest !== deployedVersion &&
    base.description === description &&
    doc.values?.[res.flag]?.enabled === enabled;
  const change = `${where}: ${was ? 'on' : 'off'} -> ${enabled ? 'on' : 'off'}, deployed with ${res.deploymentStrategyId}${reuse ? ` (version ${latest}, written earlier)` : ''}`;
  const plan = { before, expected: { ...before, enabled }, detail: change, resolvedParams: { enabled } };
  return changeOutcome(dryRun, plan, async () => {
    let version = latest;
    if (!reuse) {
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
          Description: description,
        }),
      );
      version = created.VersionNumber ?? latest + 1;
    }
    const deployment = await appConfig.send(
      new StartDeploymentCommand({
        ...ids,
        EnvironmentId: res.environmentId,
        ConfigurationVersion: String(version),
        DeploymentStrategyId: res.deploymentStrategyId,
        Description: `Firebreak mitigation for ${incident.id}`.slice(0, 1024),
      }),
    );
    return {
      flag: res.flag,
      enabled,
      version,
      deploymentNumber: deployment.DeploymentNumber,
      deploymentState: deployment.State,
    };
  });
}

const IN_PROGRESS = new Set(['DEPLOYING', 'BAKING', 'VALIDATING', 'ROLLING_BACK']);
const LIVE = new Set(['COMPLETE', 'DEPLOYING', 'BAKING', 'VALIDATING']);

/** The environment's deployments, newest first (one page of 50 is plenty to find the latest). */
async function environmentDeployments(
  appConfig: AppConfigClient,
  res: AppConfigFlag,
): Promise<DeploymentSummary[]> {
  const out = await appConfig.send(
    new ListDeploymentsCommand({
      ApplicationId: res.applicationId,
      EnvironmentId: res.environmentId,
      MaxResults: 50,
    }),
  );
  return [...(out?.Items ?? [])].sort((a, b) => (b.DeploymentNumber ?? 0) - (a.DeploymentNumber ?? 0));
}
