/**
 * The Actions port in AWS: the allow-listed catalog, each kind bound to the adapters that can run it.
 * Before any AWS call it checks, again, that the kind is enabled, that configuration maps the target
 * to a resource, and that the resource belongs to one of the incident's services. Which resource a
 * target names comes from the resource map alone — never from the alert or the analyst.
 */
import type { AppConfigClient } from '@aws-sdk/client-appconfig';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import { ActionRefused } from '../../../domain/actions/outcome.js';
import type { ResourceEntry } from '../../../domain/actions/resources.js';
import type { FirebreakConfig } from '../../../domain/config.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';
import type { ActionOutcome, Actions } from '../../../domain/ports.js';
import { setAppConfigFlag } from './appconfig-flag.js';
import { restartEcsService, rollbackEcsService, scaleEcsService } from './ecs-service.js';
import { rollbackLambdaAlias } from './lambda-alias.js';
import { scaleLambdaConcurrency } from './lambda-concurrency.js';
import { rotateSecret } from './secret-rotation.js';
import { blockInWafIpSet } from './waf-ipset.js';

/** Clients for the services the enabled actions touch; a missing one disables its adapters. */
export interface ActionClients {
  lambda?: LambdaClient;
  /** Reads a function's recent peak concurrency before reserving for it. */
  cloudwatch?: CloudWatchClient;
  ecs?: ECSClient;
  appConfig?: AppConfigClient;
  /** The WAFV2 client for a region: us-east-1 for CLOUDFRONT IP sets, the set's region otherwise. */
  waf?: (region: string | undefined) => WAFV2Client;
  secrets?: SecretsManagerClient;
}

type Run = (action: MitigationAction, dryRun: boolean, incident: Incident) => Promise<ActionOutcome>;

function need<T>(client: T | undefined, service: string): T {
  if (!client) throw new ActionRefused(`no ${service} client is wired in this deployment`);
  return client;
}

/** Picks the adapter for a kind on a resource, or explains why there is none. */
function adapterFor(
  kind: MitigationAction['kind'],
  entry: ResourceEntry,
  c: ActionClients,
  target: string,
): Run {
  switch (kind) {
    case 'rollback':
      if (entry.ecs) return (a, d) => rollbackEcsService(need(c.ecs, 'ECS'), entry.ecs!, a, d);
      if (entry.lambda) return (a, d) => rollbackLambdaAlias(need(c.lambda, 'Lambda'), entry.lambda!, a, d);
      break;
    case 'scale':
      if (entry.ecs) return (a, d) => scaleEcsService(need(c.ecs, 'ECS'), entry.ecs!, a, d);
      if (entry.lambda)
        return (a, d) => scaleLambdaConcurrency(need(c.lambda, 'Lambda'), entry.lambda!, a, d, c.cloudwatch);
      break;
    case 'restart':
      if (entry.ecs) return (a, d) => restartEcsService(need(c.ecs, 'ECS'), entry.ecs!, a, d);
      if (entry.lambda)
        throw new ActionRefused(
          `restart is not available for a Lambda function (${target}); every invocation already starts fresh code`,
        );
      break;
    case 'feature-flag':
      if (entry.appConfig)
        return (a, d, i) => setAppConfigFlag(need(c.appConfig, 'AppConfig'), entry.appConfig!, a, d, i);
      break;
    case 'block-traffic':
      if (entry.waf) {
        // CLOUDFRONT-scoped IP sets are only reachable through us-east-1 (WAFV2 API reference,
        // Scope); a REGIONAL one through its own region.
        const region = entry.waf.scope === 'CLOUDFRONT' ? 'us-east-1' : entry.waf.region;
        return (a, d) => blockInWafIpSet(need(c.waf, 'WAF')(region), entry.waf!, a, d);
      }
      break;
    case 'rotate-credentials':
      if (entry.secret)
        return (a, d) => rotateSecret(need(c.secrets, 'Secrets Manager'), entry.secret!, a, d);
      break;
    case 'failover':
      throw new ActionRefused('failover has no automated implementation; run the failover runbook');
  }
  throw new ActionRefused(`${target} has no resource in the resource map that ${kind} can act on`);
}

/** Throttling and 5xx: let the state machine retry the whole step rather than report a failure. */
const isTransient = (err: unknown) => {
  const e = err as Error & { $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    !!e?.$retryable ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500 ||
    /Throttl|TooManyRequests|RequestLimitExceeded|ServiceUnavailable/.test(e?.name ?? '')
  );
};

export class AwsActions implements Actions {
  constructor(
    private readonly clients: ActionClients,
    private readonly config: Pick<FirebreakConfig, 'enabledActions' | 'resources'>,
  ) {}

  async execute(
    action: MitigationAction,
    opts: { dryRun: boolean; incident: Incident },
  ): Promise<ActionOutcome> {
    try {
      const run = this.validate(action, opts.incident);
      return await run(action, opts.dryRun, opts.incident);
    } catch (err) {
      if (err instanceof ActionRefused) return { status: 'failed', detail: err.message };
      if (isTransient(err)) throw err;
      const e = err as Error;
      return { status: 'failed', detail: `${e.name}: ${e.message}`.slice(0, 500) };
    }
  }

  /** Everything that can be checked without calling AWS. */
  private validate(action: MitigationAction, incident: Incident): Run {
    if (!this.config.enabledActions.includes(action.kind)) {
      throw new ActionRefused(`${action.kind} is not enabled in configuration`);
    }
    const entry = this.config.resources[action.target];
    if (!entry) throw new ActionRefused(`${action.target} is not in the resource map; nothing to act on`);
    const owner = entry.service ?? action.target;
    const services = new Set([...incident.services, ...(incident.service ? [incident.service] : [])]);
    if (!services.has(owner)) {
      throw new ActionRefused(
        `${action.target} belongs to ${owner}, which is not one of this incident's services`,
      );
    }
    return adapterFor(action.kind, entry, this.clients, action.target);
  }
}
