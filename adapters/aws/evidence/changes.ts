/**
 * Deployments and configuration/infrastructure changes from CloudTrail: look-ups by each catalog
 * resource of the services asked about, plus one look-up of write events for the network and
 * platform changes that belong to no service (routes, ACLs, security groups, parameters). Failed calls
 * are dropped; what remains is shaped like scenario change records.
 */
import type { ChangeRecord, TimeWindow } from '../../../domain/ports.js';
import { type AwsCatalog, type AwsService, inScope } from './catalog.js';
import { boundWindow, type EvidenceLimits } from './limits.js';
import { lookup, type Trail, type TrailRecord } from './trail.js';

/**
 * Lambda's CloudTrail event names carry its API version ("PublishVersion20150331",
 * "UpdateAlias20150331", "UpdateFunctionCode20150331v2"; Lambda developer guide, "Logging AWS Lambda
 * API calls using AWS CloudTrail"), so they are compared without it.
 */
export const baseEventName = (name: string) =>
  name.replace(/^([A-Za-z]+?)(20\d{6})(v\d+)?$/, (_, base: string) => base);

/** Write events that deploy code (by base name). */
const DEPLOY_EVENTS = new Set([
  'UpdateService', // ECS, when it changes the task definition
  'UpdateFunctionCode',
  'PublishVersion',
  'UpdateAlias',
  'CreateDeployment', // CodeDeploy
  'UpdateEnvironment', // Elastic Beanstalk
]);

/** Write events that change configuration or infrastructure, wherever they happen. */
const CHANGE_EVENTS =
  /^(Update|Put|Modify|Replace|Delete|Create|Authorize|Revoke|Associate|Disassociate|Attach|Detach|Start(Deployment)|Stop(Deployment)|Set|Enable|Disable)[A-Za-z0-9]*$/;
const PLATFORM_EVENT =
  /(NetworkAcl|Route|SecurityGroup|Subnet|VpcEndpoint|TransitGateway|NatGateway|LoadBalancer|Listener|TargetGroup|DBInstance|DBCluster|DBParameterGroup|Parameter|Secret|HostedZone|ResourceRecordSets|WebACL|Rule|Configuration|Deployment|Concurrency|Throughput|Table|Queue|EventSourceMapping|ScalingPolicy|ScheduledAction)/;

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
const tail = (s: string) => s.split(/[/:]/).filter(Boolean).at(-1) ?? s;

/** The catalog service a CloudTrail record is about, by its resources and request parameters. */
export function ownerOf(r: TrailRecord, services: AwsService[]): AwsService | undefined {
  const names = [
    ...r.resources,
    ...['service', 'functionName', 'tableName', 'applicationId', 'name', 'cluster']
      .map((k) => r.request?.[k])
      .filter((v): v is string => typeof v === 'string'),
  ].map((n) => n.toLowerCase());
  return services.find((s) =>
    [...s.resources, s.name].some((res) => {
      const want = res.toLowerCase();
      return names.some(
        (n) => n === want || n.endsWith(`/${want}`) || n.endsWith(`:${want}`) || tail(n) === tail(want),
      );
    }),
  );
}

/** The version a deployment event rolled out, and the one it replaced when CloudTrail says. */
export function versions(r: TrailRecord): { version?: string; previousVersion?: string } {
  const rev = (arn: unknown) => (typeof arn === 'string' ? tail(arn) : undefined);
  const name = baseEventName(r.name);
  if (name === 'UpdateService') {
    const deployments = (r.response?.service?.deployments ?? []) as Array<{
      status?: string;
      taskDefinition?: string;
    }>;
    return {
      version:
        rev(r.request?.taskDefinition) ??
        rev(deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition),
      previousVersion: rev(deployments.find((d) => d.status === 'ACTIVE')?.taskDefinition),
    };
  }
  if (name === 'UpdateFunctionCode' || name === 'PublishVersion') {
    const v = r.response?.version && r.response.version !== '$LATEST' ? r.response.version : undefined;
    const sha = typeof r.response?.codeSha256 === 'string' ? r.response.codeSha256.slice(0, 12) : undefined;
    return { version: v ?? sha };
  }
  if (name === 'UpdateAlias') return { version: r.request?.functionVersion };
  if (name === 'CreateDeployment')
    return { version: r.response?.deploymentId ?? r.request?.revision?.revisionType };
  if (name === 'UpdateEnvironment') return { version: r.request?.versionLabel };
  return {};
}

const isDeployment = (r: TrailRecord) =>
  DEPLOY_EVENTS.has(baseEventName(r.name)) && !(r.name === 'UpdateService' && !r.request?.taskDefinition);

export function toChange(r: TrailRecord, owner: AwsService | undefined): ChangeRecord {
  const resource = r.resources[0] ?? (typeof r.request?.name === 'string' ? r.request.name : undefined);
  if (isDeployment(r) && owner) {
    const { version, previousVersion } = versions(r);
    if (version) {
      return {
        id: `deploy:${owner.name}@${version}`,
        kind: 'deployment',
        service: owner.name,
        at: r.at,
        summary: `${baseEventName(r.name)} of ${owner.name} to ${version}${r.user ? ` by ${r.user}` : ''}`,
        version,
        previousVersion,
        status: 'succeeded',
        actor: r.user,
        resource,
      };
    }
  }
  return {
    id: `change:${slug(r.name)}@${r.at}#${r.id.slice(0, 8)}`,
    kind: 'change',
    service: owner?.name,
    at: r.at,
    summary: `${r.name} (${r.source.replace('.amazonaws.com', '')})${resource ? ` on ${resource}` : ''}${r.user ? ` by ${r.user}` : ''}`,
    actor: r.user,
    resource,
    status: r.name,
    source: 'cloudtrail',
  };
}

export async function trailChanges(
  cloudtrail: Trail,
  catalog: AwsCatalog,
  q: TimeWindow & { services?: string[] },
  limits: EvidenceLimits,
): Promise<ChangeRecord[]> {
  const w = boundWindow(q, limits.maxWindowMinutes);
  const services = inScope(catalog, q.services);
  const byResource = services.flatMap((s) => s.resources).slice(0, Math.max(0, limits.maxTrailLookups - 1));
  const records = new Map<string, TrailRecord>();
  for (const value of byResource) {
    for (const r of await lookup(cloudtrail, { key: 'ResourceName', value }, w, limits.maxTrailPages)) {
      records.set(r.id, r);
    }
  }
  // Platform changes outside any one service (a route table, an ACL) matter to every incident.
  for (const r of await lookup(cloudtrail, { key: 'ReadOnly', value: 'false' }, w, limits.maxTrailPages)) {
    if (!records.has(r.id) && (ownerOf(r, services) || PLATFORM_EVENT.test(r.name))) records.set(r.id, r);
  }
  return [...records.values()]
    .filter((r) => !r.errorCode && (DEPLOY_EVENTS.has(baseEventName(r.name)) || CHANGE_EVENTS.test(r.name)))
    .map((r) => toChange(r, ownerOf(r, services)))
    .filter((c) => !q.services?.length || (c.service && q.services.includes(c.service)) || !c.service)
    .sort((a, b) => a.at.localeCompare(b.at));
}
