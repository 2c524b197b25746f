/**
 * ECS service actions: roll back to an earlier task definition, scale the desired count within the
 * configured ceiling, or restart (force a new deployment of the same task definition).
 */
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  type Service,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import {
  ActionRefused,
  alreadyDone,
  changeOutcome,
  positiveInt,
  scaleFactor,
} from '../../../domain/actions/outcome.js';
import type { EcsResource } from '../../../domain/actions/resources.js';
import type { MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome } from '../../../domain/ports.js';

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
  const out: number[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  // Paged: a busy family has more than one page of revisions above the one a label names.
  do {
    const page = await ecs.send(
      new ListTaskDefinitionsCommand({
        familyPrefix: family,
        status: 'ACTIVE',
        sort: 'DESC',
        maxResults: 100,
        nextToken,
      }),
    );
    for (const arn of page.taskDefinitionArns ?? []) {
      const td = parseTaskDefinition(arn);
      if (td && td.family === family && td.revision < current) out.push(td.revision);
    }
    nextToken = page.nextToken;
    pages++;
  } while (nextToken && pages < 10);
  return out;
}

/**
 * The task definition the service ran before the current one: the draining deployment while a
 * rollout is under way, else the newest successful service deployment of another revision
 * (ListServiceDeployments, DescribeServiceRevisions). Never "the revision numbered one lower": that
 * may never have been deployed, or may be a build that was itself rolled back.
 */
async function previouslyDeployed(
  ecs: ECSClient,
  res: EcsResource,
  service: Service,
  current: { family: string; revision: number },
): Promise<number | undefined> {
  const other = (ref: string | undefined) => {
    const td = ref ? parseTaskDefinition(ref) : undefined;
    return td && td.family === current.family && td.revision !== current.revision ? td.revision : undefined;
  };
  for (const d of service.deployments ?? []) {
    if (d.status !== 'PRIMARY' && other(d.taskDefinition)) return other(d.taskDefinition);
  }
  const list = await ecs.send(
    new ListServiceDeploymentsCommand({
      cluster: res.cluster,
      service: res.service,
      status: ['SUCCESSFUL'],
      maxResults: 20,
    }),
  );
  const deployments = (list.serviceDeployments ?? [])
    .filter((d) => d.targetServiceRevisionArn)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  if (!deployments.length) return undefined;
  const revisions = await ecs.send(
    new DescribeServiceRevisionsCommand({
      serviceRevisionArns: deployments.map((d) => d.targetServiceRevisionArn as string),
    }),
  );
  const byArn = new Map(
    (revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]),
  );
  for (const d of deployments) {
    const revision = other(byArn.get(d.targetServiceRevisionArn));
    if (revision !== undefined) return revision;
  }
  return undefined;
}

/**
 * The task definition to roll back to: a revision (`41`, `checkout:41`, an ARN), a release label
 * matched against container image tags (`v186` → `…/checkout:v186`), or the previously deployed one.
 */
async function chooseRevision(
  ecs: ECSClient,
  res: EcsResource,
  service: Service,
  current: { family: string; revision: number },
  toVersion: string | undefined,
): Promise<number> {
  if (toVersion === undefined) {
    const previous = await previouslyDeployed(ecs, res, service, current);
    if (previous === undefined)
      throw new ActionRefused(
        `no earlier deployment of ${res.cluster}/${res.service} is on record; name the revision to roll back to`,
      );
    return previous;
  }
  const explicit = /^\d+$/.test(toVersion)
    ? { family: current.family, revision: Number(toVersion) }
    : parseTaskDefinition(toVersion);
  if (explicit) {
    if (explicit.family !== current.family)
      throw new ActionRefused(`${toVersion} is not a revision of ${current.family}`);
    if (explicit.revision === current.revision) return explicit.revision;
    // Asked by name, so asked directly: however many revisions came after it.
    const td = await ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: short(explicit) }))
      .catch((err: Error) => {
        if (err.name === 'ClientException') return undefined;
        throw err;
      });
    if (td?.taskDefinition?.status !== 'ACTIVE' || explicit.revision > current.revision)
      throw new ActionRefused(`${short(explicit)} is not an earlier active revision`);
    return explicit.revision;
  }
  const older = await olderRevisions(ecs, current.family, current.revision);
  for (const revision of older.slice(0, 20)) {
    const td = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${current.family}:${revision}` }),
    );
    const images = (td.taskDefinition?.containerDefinitions ?? []).map((c) => c.image ?? '');
    if (images.some((image) => image.endsWith(`:${toVersion}`))) return revision;
  }
  throw new ActionRefused(`no recent revision of ${current.family} runs an image tagged ${toVersion}`);
}

/**
 * Rollback and restart replace tasks through UpdateService, which only the ECS deployment
 * controller allows: a CODE_DEPLOY (blue/green) service changes its task definition through
 * CodeDeploy and an EXTERNAL one through task sets (ECS API reference, UpdateService).
 */
function requireEcsController(res: EcsResource, service: Service, what: string): void {
  const type = service.deploymentController?.type ?? 'ECS';
  if (type !== 'ECS') {
    throw new ActionRefused(
      `${res.cluster}/${res.service} is deployed by ${type}, so ${what} cannot go through UpdateService; use ${type === 'CODE_DEPLOY' ? 'CodeDeploy' : 'its deployment tooling'}`,
    );
  }
}

export async function rollbackEcsService(
  ecs: ECSClient,
  res: EcsResource,
  action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const service = await describeService(ecs, res);
  requireEcsController(res, service, 'a rollback');
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
  const revision = await chooseRevision(ecs, res, service, current, toVersion);
  const target = { family: current.family, revision };
  const change = `${where}: task definition ${short(current)} -> ${short(target)}`;
  const plan = {
    before,
    expected: { ...before, taskDefinition: short(target) },
    detail: change,
    resolvedParams: { fromVersion: short(current), toVersion: short(target) },
  };
  return changeOutcome(dryRun, plan, () => updateService(ecs, res, { taskDefinition: short(target) }));
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
  const plan = {
    before,
    expected: { ...before, desiredCount: target },
    detail: change,
    resolvedParams: { desiredCount: target },
  };
  return changeOutcome(dryRun, plan, () => updateService(ecs, res, { desiredCount: target }));
}

export async function restartEcsService(
  ecs: ECSClient,
  res: EcsResource,
  _action: MitigationAction,
  dryRun: boolean,
): Promise<ActionOutcome> {
  const service = await describeService(ecs, res);
  requireEcsController(res, service, 'a restart');
  const before = snapshot(res, service);
  const change = `ECS service ${res.cluster}/${res.service}: replace all ${before.runningCount} task(s) of ${before.taskDefinition.split('/').pop()} (force new deployment)`;
  return changeOutcome(dryRun, { before, expected: before, detail: change }, () =>
    updateService(ecs, res, { forceNewDeployment: true }),
  );
}

/** UpdateService on the configured service; the service as it answers, when it does. */
async function updateService(
  ecs: ECSClient,
  res: EcsResource,
  change: Pick<UpdateServiceCommandInput, 'taskDefinition' | 'desiredCount' | 'forceNewDeployment'>,
) {
  const out = await ecs.send(
    new UpdateServiceCommand({ cluster: res.cluster, service: res.service, ...change }),
  );
  return out.service ? snapshot(res, out.service) : undefined;
}
