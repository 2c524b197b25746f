/**
 * Builds the Actions port for AWS from configuration: a client only for each service an enabled
 * action needs, and the propose-only adapter when nothing is enabled. Wiring, not domain logic:
 * the adapters themselves receive their clients.
 */
import { AppConfigClient } from '@aws-sdk/client-appconfig';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { type ActionClients, AwsActions } from '../adapters/aws/actions/index.js';
import { proposeOnlyActions } from '../domain/actions/propose-only.js';
import type { FirebreakConfig } from '../domain/config.js';
import type { Actions } from '../domain/ports.js';
import { AwsClients, awsClients, type WrapClient } from './aws-clients.js';

export function awsActionsFor(
  config: Pick<FirebreakConfig, 'enabledActions' | 'resources'>,
  /** The clients to use, or what to wrap each new client in (tests watch the clients made). */
  from: AwsClients | WrapClient = awsClients,
): Actions {
  const made = from instanceof AwsClients ? from : new AwsClients({ wrap: from });
  const kinds = new Set(config.enabledActions);
  if (!kinds.size) return proposeOnlyActions;
  const entries = Object.values(config.resources);
  const clients: ActionClients = {};
  if ((kinds.has('rollback') || kinds.has('scale')) && entries.some((e) => e.lambda))
    clients.lambda = made.client(LambdaClient);
  if (kinds.has('scale') && entries.some((e) => e.lambda)) clients.cloudwatch = made.client(CloudWatchClient);
  if (['rollback', 'scale', 'restart'].some((k) => kinds.has(k as never)) && entries.some((e) => e.ecs)) {
    clients.ecs = made.client(ECSClient);
  }
  if (kinds.has('feature-flag') && entries.some((e) => e.appConfig))
    clients.appConfig = made.client(AppConfigClient);
  if (kinds.has('block-traffic') && entries.some((e) => e.waf)) {
    // One client per region an IP set lives in (us-east-1 for CLOUDFRONT), made when first needed.
    clients.waf = (region) => made.client(WAFV2Client, region);
  }
  if (kinds.has('rotate-credentials') && entries.some((e) => e.secret))
    clients.secrets = made.client(SecretsManagerClient);
  return new AwsActions(clients, config);
}
