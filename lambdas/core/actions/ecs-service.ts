/**
 * ECS service actions: roll back to an earlier task definition, scale the desired count within the
 * configured ceiling, or restart (force a new deployment of the same task definition).
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListTaskDefinitionsCommand,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { MitigationAction } from '../model.js';
import type { ActionOutcome } from '../ports.js';
import { ActionRefused, alreadyDone, positiveInt, scaleFactor } from './outcome.js';
import type { EcsResource } from './resources.js';

/** `arn:aws:ecs:…:task-definition/checkout:42` → { family: 'checkout', revision: 42 } */
export function parseTaskDefinition(ref: string): { family: string; revision: number } | undefined {
  const m = /(?:task-definition\/)?([A-Za-z0-9_-]{1,255}):(\d+)$/.exec(ref);
  return m ? { family: m[1], revision: Number(m[2]) } : undefined;
}
const short = (td: { family: string; revision: number }) => `${td.family}:${td.revision}`;

async function describeService(ecs: ECSClient, res: EcsResource): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: res.cluster, services: [res.service] }));
  const service = out.services?.[0];
  if (service?.status !== 'ACTIVE') {
    throw new ActionRefused(`ECS service ${res.cluster}/${res.service} was not found or is not active`);
  }
  return service;
}

function snapshot(res: EcsResource, s: Service) {
  return {
    cluster: res.cluster,
    service: res.service,
    taskDefinition: s.taskDefinition ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
    })),
  };
}

/** Revisions of the family below the current one, newest first (ACTIVE only: INACTIVE ones cannot run). */
async function olderRevisions(ecs: ECSClient, family: string, current: number): Promise<number[]> {
  const out = await ecs.send(
    new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: 50 }),
  );
  return (out.taskDefinitionArns ?? [])
    .map((arn) => parseTaskDefinition(arn))
    .filter(
      (td): td is { family: string; revision: number } =>
        !!td && td.family === family && td.revision < current,
    )
    .map((td) => td.revision);
}

/**
 * The task definition to roll back to: a revision (`41`, `checkout:41`, an ARN), a release label
 * matched against container image tags (`v186` → `…/checkout:v186`), or the previous revision.
 */
async function chooseRevision(
  ecs: ECSClient,
  current: { family: string; revision: number },
  toVersion: string | undefined,
): Promise<number> {
  const older = await olderRevisions(ecs, current.family, current.revision);
  if (toVersion === undefined) {
    if (!older.length)
      throw new ActionRefused(`there is no earlier active revision of ${current.family} to roll back to`);
    return older[0];
  }
  const explicit = /^\d+$/.test(toVersion)
    ? { family: current.family, revision: Number(toVersion) }
    : parseTaskDefinition(toVersion);
  if (explicit) {
    if (explicit.family !== current.family)
      throw new ActionRefused(`${toVersion} is not a revision of ${current.family}`);
    if (explicit.revision === current.revision) return explicit.revision;
    if (!older.includes(explicit.revision))
      throw new ActionRefused(`${short(explicit)} is not an earlier active revision`);
    return explicit.revision;
  }
  for (const revision of older.slice(0, 10)) {
    const td = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${current.family}:${revision}` }),
    );
    const images = (td.taskDefinition?.containerDefinitions ?? []).map((c) => c.image ?? '');
    if (images.some((image) => image.endsWith(`:${toVersion}`))) return revision;
  }
  throw new ActionRefused(`no recent revision of ${current.family} runs an image tagged ${toVersion}`);
}

export async function rollbackEcsService(
  ecs: ECSClient,
  res: EcsResource,
  action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const service = await describeService(ecs, res);
  const before = snapshot(res, service);
  const current = parseTaskDefinition(before.taskDefinition);
  if (!current) throw new ActionRefused(`cannot read the task definition of ${res.cluster}/${res.service}`);
  const where = `ECS service ${res.cluster}/${res.service}`;
  const toVersion = action.params.toVersion === undefined ? undefined : String(action.params.toVersion);
  const fromVersion = action.params.fromVersion === undefined ? undefined : String(action.params.fromVersion);
  const pinnedFrom = fromVersion ? parseTaskDefinition(fromVersion) : undefined;
  const pinnedTo = toVersion ? parseTaskDefinition(toVersion) : undefined;
  if (pinnedTo && short(pinnedTo) === short(current)) {
    return alreadyDone(dryRun, before, `${where} runs ${short(current)}`);
  }
  if (pinnedFrom && short(pinnedFrom) !== short(current)) {
    throw new ActionRefused(
      `${where} moved from ${short(pinnedFrom)} to ${short(current)} since the plan; ask again`,
    );
  }
  const revision = await chooseRevision(ecs, current, toVersion);
  const target = { family: current.family, revision };
  const change = `${where}: task definition ${short(current)} -> ${short(target)}`;
  const resolvedParams = { fromVersion: short(current), toVersion: short(target) };
  if (dryRun)
    return {
      status: 'dry-run',
      before,
      after: { ...before, taskDefinition: short(target) },
      detail: change,
      resolvedParams,
    };
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: res.cluster, service: res.service, taskDefinition: short(target) }),
  );
  return {
    status: 'applied',
    before,
    after: out.service ? snapshot(res, out.service) : undefined,
    detail: change,
  };
}

export async function scaleEcsService(
  ecs: ECSClient,
  res: EcsResource,
  action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const max = res.maxDesiredCount;
  if (!max)
    throw new ActionRefused(
      `no maxDesiredCount is configured for ${res.cluster}/${res.service}; scale is not allowed`,
    );
  const explicit = positiveInt(action.params.desiredCount, 'desiredCount', max);
  const factor = scaleFactor(action.params.factor);
  const service = await describeService(ecs, res);
  const before = snapshot(res, service);
  const current = before.desiredCount;
  const target = explicit ?? Math.min(max, Math.max(current + 1, Math.ceil(current * (factor ?? 2))));
  const where = `ECS service ${res.cluster}/${res.service}`;
  if (target === current) return alreadyDone(dryRun, before, `${where} desired count is ${current}`);
  if (target < current)
    throw new ActionRefused(`scaling ${where} down from ${current} to ${target} is not a mitigation`);
  const change = `${where}: desired count ${current} -> ${target} (max ${max})`;
  const resolvedParams = { desiredCount: target };
  if (dryRun)
    return {
      status: 'dry-run',
      before,
      after: { ...before, desiredCount: target },
      detail: change,
      resolvedParams,
    };
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: res.cluster, service: res.service, desiredCount: target }),
  );
  return {
    status: 'applied',
    before,
    after: out.service ? snapshot(res, out.service) : undefined,
    detail: change,
  };
}

export async function restartEcsService(
  ecs: ECSClient,
  res: EcsResource,
  _action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const service = await describeService(ecs, res);
  const before = snapshot(res, service);
  const change = `ECS service ${res.cluster}/${res.service}: replace all ${before.runningCount} task(s) of ${before.taskDefinition.split('/').pop()} (force new deployment)`;
  if (dryRun) return { status: 'dry-run', before, after: before, detail: change };
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: res.cluster, service: res.service, forceNewDeployment: true }),
  );
  return {
    status: 'applied',
    before,
    after: out.service ? snapshot(res, out.service) : undefined,
    detail: change,
  };
}
