/**
 * What the action adapters ask AWS, checked against the API references (issue #19): the region a
 * call must reach, the locks AWS offers, and the checks AWS will make anyway, made in the dry run.
 */
import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetConfigurationProfileCommand,
  GetHostedConfigurationVersionCommand,
  ListDeploymentsCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PutFunctionConcurrencyCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsActions } from '../../../adapters/aws/actions/index.js';
import { parseConfig } from '../../../domain/config.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';
import { awsActionsFor } from '../../../runtime/actions.js';
import { anIncident } from '../../support/incidents.js';

const lambda = mockClient(LambdaClient);
const ecs = mockClient(ECSClient);
const appConfig = mockClient(AppConfigClient);
const waf = mockClient(WAFV2Client);
const secrets = mockClient(SecretsManagerClient);
const cw = mockClient(CloudWatchClient);
afterEach(() => {
  for (const m of [lambda, ecs, appConfig, waf, secrets, cw]) m.reset();
});

const region = { region: 'eu-west-1' };
const config = parseConfig({
  enabledActions: ['rollback', 'scale', 'restart', 'feature-flag', 'block-traffic', 'rotate-credentials'],
  resources: {
    checkout: { ecs: { cluster: 'prod', service: 'checkout' } },
    'payment-webhooks': {
      lambda: { functionName: 'payment-webhooks', alias: 'live', maxReservedConcurrency: 400 },
    },
    'new-pricing-engine': {
      service: 'cart',
      appConfig: {
        applicationId: 'app1',
        environmentId: 'env1',
        configurationProfileId: 'prof1',
        flag: 'new_pricing',
      },
    },
    'edge-ips': {
      service: 'identity-api',
      waf: { name: 'edge-block', id: 'ipset-cf', scope: 'CLOUDFRONT' },
    },
    'api-ips': {
      service: 'identity-api',
      waf: { name: 'api-block', id: 'ipset-eu', scope: 'REGIONAL', region: 'eu-central-1' },
    },
    'ledger-db': { service: 'ledger-api', secret: { secretId: 'ledger-db-credentials' } },
  },
});

const actions = () =>
  new AwsActions(
    {
      lambda: new LambdaClient(region),
      cloudwatch: new CloudWatchClient(region),
      ecs: new ECSClient(region),
      appConfig: new AppConfigClient(region),
      waf: (r) => new WAFV2Client({ region: r ?? 'eu-west-1' }),
      secrets: new SecretsManagerClient(region),
    },
    config,
  );

// What the actions read of an incident: its id, severity and services.
const incident = (...services: string[]): Incident =>
  anIncident({ id: 'inc-aws-1', status: 'ACTIVE', severity: 'SEV2', service: services[0], services });
const act = (kind: MitigationAction['kind'], target: string, params: MitigationAction['params'] = {}) => ({
  kind,
  target,
  params,
  rationale: '',
});
const run = (a: MitigationAction, dryRun: boolean, ...services: string[]) =>
  actions().execute(a, { dryRun, incident: incident(...services) });

describe('WAF: each IP set through the region its scope requires (WAFV2 API reference, Scope)', () => {
  it('CLOUDFRONT sets in us-east-1 and a REGIONAL set in its own region, in one deployment', async () => {
    waf.on(GetIPSetCommand).resolves({
      IPSet: { Name: 'x', Id: 'y', ARN: 'arn', IPAddressVersion: 'IPV4', Addresses: [] },
      LockToken: 'l',
    });
    waf.on(UpdateIPSetCommand).resolves({});
    await run(act('block-traffic', 'edge-ips', { cidr: '203.0.113.7' }), false, 'identity-api');
    await run(act('block-traffic', 'api-ips', { cidr: '203.0.113.7' }), false, 'identity-api');
    const where = await Promise.all(
      waf
        .commandCalls(UpdateIPSetCommand)
        .map(async (c) => [
          c.args[0].input.Name,
          c.args[0].input.Scope,
          await (c.thisValue as WAFV2Client).config.region(),
        ]),
    );
    expect(where).toEqual([
      ['edge-block', 'CLOUDFRONT', 'us-east-1'],
      ['api-block', 'REGIONAL', 'eu-central-1'],
    ]);
  });

  it('the wiring makes one client per region, not one for every scope', async () => {
    const made: string[] = [];
    const wired = awsActionsFor(config, (client) => {
      if (client instanceof WAFV2Client) void client.config.region().then((r) => made.push(r));
      return client;
    });
    waf.on(GetIPSetCommand).resolves({});
    await wired.execute(act('block-traffic', 'edge-ips', { cidr: '203.0.113.7' }), {
      dryRun: true,
      incident: incident('identity-api'),
    });
    await wired.execute(act('block-traffic', 'api-ips', { cidr: '203.0.113.7' }), {
      dryRun: true,
      incident: incident('identity-api'),
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(made.sort()).toEqual(['eu-central-1', 'us-east-1']);
  });
});

describe('Lambda alias rollback during a canary (Lambda API reference, UpdateAlias)', () => {
  const versions = () =>
    lambda.on(ListVersionsByFunctionCommand).resolves({
      Versions: [
        { Version: '40', Description: 'v185' },
        { Version: '41', Description: 'v186' },
        { Version: '42', Description: 'v187' },
      ],
    });

  it('clears the canary toward the new version and stays on the alias’s version, under its RevisionId', async () => {
    lambda.on(GetAliasCommand).resolves({
      FunctionVersion: '41',
      RoutingConfig: { AdditionalVersionWeights: { '42': 0.1 } },
      RevisionId: 'rev-7',
    });
    versions();
    lambda.on(UpdateAliasCommand).resolves({ FunctionVersion: '41' });
    const dry = await run(act('rollback', 'payment-webhooks'), true, 'payment-webhooks');
    expect(dry.resolvedParams).toEqual({ fromVersion: '41', toVersion: '41' });
    expect(dry.detail).toMatch(/version 41 -> 41 .*clear the canary \(42 at 10%\)/);
    await run(act('rollback', 'payment-webhooks'), false, 'payment-webhooks');
    expect(lambda.commandCalls(UpdateAliasCommand)[0].args[0].input).toEqual({
      FunctionName: 'payment-webhooks',
      Name: 'live',
      FunctionVersion: '41',
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: 'rev-7',
    });
  });

  it('reports an alias changed since it was read (PreconditionFailedException) without retrying past it', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '42', RevisionId: 'rev-8' });
    versions();
    lambda.on(UpdateAliasCommand).rejects(
      Object.assign(new Error('The Revision Id provided does not match the latest Revision Id.'), {
        name: 'PreconditionFailedException',
        $metadata: { httpStatusCode: 412 },
      }),
    );
    const out = await run(act('rollback', 'payment-webhooks'), false, 'payment-webhooks');
    expect(out).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/^PreconditionFailedException/),
    });
    expect(lambda.commandCalls(UpdateAliasCommand)[0].args[0].input.RevisionId).toBe('rev-8');
  });
});

describe('Lambda reserved concurrency (Lambda API reference, PutFunctionConcurrency)', () => {
  const peak = (values: number[]) =>
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'peak', Values: values }] });

  it('refuses, in the dry run, a reservation that leaves fewer than 100 unreserved executions', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 100 });
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { UnreservedConcurrentExecutions: 180 } });
    const out = await run(act('scale', 'payment-webhooks'), true, 'payment-webhooks');
    expect(out).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/would leave 80 unreserved executions; Lambda keeps at least 100/),
    });
    const fits = await run(
      act('scale', 'payment-webhooks', { reservedConcurrency: 180 }),
      true,
      'payment-webhooks',
    );
    expect(fits.status).toBe('dry-run');
  });

  it('refuses an explicit value below an unreserved function’s recent peak (it would cap it)', async () => {
    lambda.on(GetFunctionConcurrencyCommand).resolves({});
    lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { UnreservedConcurrentExecutions: 900 } });
    peak([120, 250, 90]);
    const low = await run(
      act('scale', 'payment-webhooks', { reservedConcurrency: 200 }),
      true,
      'payment-webhooks',
    );
    expect(low.detail).toMatch(/below its recent peak of 250/);
    const query = cw.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries?.[0].MetricStat;
    expect(query).toMatchObject({
      Metric: { Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions' },
      Stat: 'Maximum',
    });
    const enough = await run(
      act('scale', 'payment-webhooks', { reservedConcurrency: 300 }),
      true,
      'payment-webhooks',
    );
    expect(enough.status).toBe('dry-run');
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)).toHaveLength(0);
  });
});

describe('ECS rollback (ECS API reference: UpdateService, ListServiceDeployments)', () => {
  const service = (over: object = {}) =>
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          status: 'ACTIVE',
          taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
          deployments: [{ status: 'PRIMARY', taskDefinition: 'checkout:42' }],
          ...over,
        },
      ],
    });

  it('goes back to the previously deployed revision, not the one numbered below', async () => {
    service();
    ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { targetServiceRevisionArn: 'rev/b', createdAt: new Date('2026-05-04T09:00:00Z') },
        { targetServiceRevisionArn: 'rev/a', createdAt: new Date('2026-05-01T09:00:00Z') },
      ],
    });
    ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        {
          serviceRevisionArn: 'rev/a',
          taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:37',
        },
        {
          serviceRevisionArn: 'rev/b',
          taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
        },
      ],
    });
    // 41 is ACTIVE but was never deployed (a build that failed its checks).
    ecs.on(ListTaskDefinitionsCommand).resolves({
      taskDefinitionArns: ['42', '41', '37'].map(
        (r) => `arn:aws:ecs:eu-west-1:1:task-definition/checkout:${r}`,
      ),
    });
    const dry = await run(act('rollback', 'checkout'), true, 'checkout');
    expect(dry.resolvedParams).toEqual({ fromVersion: 'checkout:42', toVersion: 'checkout:37' });
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[0].args[0].input).toMatchObject({
      cluster: 'prod',
      service: 'checkout',
      status: ['SUCCESSFUL'],
    });
  });

  it('takes the draining deployment’s revision while a rollout is under way', async () => {
    service({
      deployments: [
        { status: 'PRIMARY', taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42' },
        { status: 'ACTIVE', taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:39' },
      ],
    });
    const dry = await run(act('rollback', 'checkout'), true, 'checkout');
    expect(dry.resolvedParams).toEqual({ fromVersion: 'checkout:42', toVersion: 'checkout:39' });
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
  });

  it('checks a named revision directly, however old', async () => {
    service();
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: 'checkout:3' }).resolves({
      taskDefinition: { status: 'ACTIVE' },
    });
    const dry = await run(act('rollback', 'checkout', { toVersion: '3' }), true, 'checkout');
    expect(dry.resolvedParams).toEqual({ fromVersion: 'checkout:42', toVersion: 'checkout:3' });
    expect(ecs.commandCalls(ListTaskDefinitionsCommand)).toHaveLength(0);
  });

  it('refuses CODE_DEPLOY and EXTERNAL controllers before anything else', async () => {
    for (const type of ['CODE_DEPLOY', 'EXTERNAL']) {
      ecs.reset();
      service({ deploymentController: { type } });
      const rollback = await run(act('rollback', 'checkout', { toVersion: '41' }), true, 'checkout');
      expect(rollback.detail).toMatch(new RegExp(`deployed by ${type}`));
      const restart = await run(act('restart', 'checkout'), false, 'checkout');
      expect(restart.detail).toMatch(new RegExp(`deployed by ${type}`));
      expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
      expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0);
    }
  });
});

describe('AppConfig: done means deployed (AppConfig API reference, StartDeployment, ListDeployments)', () => {
  const doc = (enabled: boolean) =>
    Buffer.from(
      JSON.stringify({ flags: { new_pricing: {} }, values: { new_pricing: { enabled } }, version: '1' }),
    );
  const profile = () =>
    appConfig
      .on(GetConfigurationProfileCommand)
      .resolves({ Type: 'AWS.AppConfig.FeatureFlags', LocationUri: 'hosted' });

  it('a retry after a failed StartDeployment deploys the version it wrote, instead of reporting done', async () => {
    profile();
    appConfig.on(ListHostedConfigurationVersionsCommand).resolves({ Items: [{ VersionNumber: 8 }] });
    appConfig
      .on(GetHostedConfigurationVersionCommand, { VersionNumber: 8 })
      .resolves({ Content: doc(false) as never, Description: 'Firebreak inc-aws-1: new_pricing off' })
      .on(GetHostedConfigurationVersionCommand, { VersionNumber: 7 })
      .resolves({ Content: doc(true) as never });
    appConfig.on(ListDeploymentsCommand).resolves({
      Items: [
        {
          DeploymentNumber: 5,
          ConfigurationProfileId: 'prof1',
          ConfigurationVersion: '7',
          State: 'COMPLETE',
        },
      ],
    });
    appConfig.on(StartDeploymentCommand).resolves({ DeploymentNumber: 6, State: 'DEPLOYING' });
    const out = await run(act('feature-flag', 'new-pricing-engine', { enabled: false }), false, 'cart');
    expect(out).toMatchObject({
      status: 'applied',
      before: { enabled: true, version: 7 },
      after: { version: 8 },
    });
    expect(appConfig.commandCalls(CreateHostedConfigurationVersionCommand)).toHaveLength(0);
    expect(appConfig.commandCalls(StartDeploymentCommand)[0].args[0].input.ConfigurationVersion).toBe('8');
  });

  it('is done when the deployed version has the flag as asked; refuses while another deployment bakes', async () => {
    profile();
    appConfig.on(ListHostedConfigurationVersionsCommand).resolves({ Items: [{ VersionNumber: 8 }] });
    appConfig.on(GetHostedConfigurationVersionCommand).resolves({ Content: doc(false) as never });
    appConfig.on(ListDeploymentsCommand).resolvesOnce({
      Items: [
        {
          DeploymentNumber: 6,
          ConfigurationProfileId: 'prof1',
          ConfigurationVersion: '8',
          State: 'COMPLETE',
        },
      ],
    });
    const done = await run(act('feature-flag', 'new-pricing-engine', { enabled: false }), false, 'cart');
    expect(done.detail).toMatch(/^already done/);
    appConfig.on(ListDeploymentsCommand).resolves({
      Items: [
        { DeploymentNumber: 7, ConfigurationProfileId: 'other', ConfigurationVersion: '3', State: 'BAKING' },
        {
          DeploymentNumber: 6,
          ConfigurationProfileId: 'prof1',
          ConfigurationVersion: '8',
          State: 'COMPLETE',
        },
      ],
    });
    const busy = await run(act('feature-flag', 'new-pricing-engine', { enabled: true }), true, 'cart');
    expect(busy.detail).toMatch(/deployment 7 of the environment is BAKING; it must finish first/);
    expect(appConfig.commandCalls(StartDeploymentCommand)).toHaveLength(0);
  });
});

describe('Secrets Manager rotation (Secrets Manager user guide: managed rotation, rotation labels)', () => {
  it('rotates a secret under managed rotation, and a finished rotation’s leftover AWSPENDING is no rotation', async () => {
    secrets.on(DescribeSecretCommand).resolves({
      Name: 'ledger-db-credentials',
      RotationEnabled: true,
      OwningService: 'rds',
      VersionIdsToStages: { v2: ['AWSCURRENT', 'AWSPENDING'], v1: ['AWSPREVIOUS'] },
    });
    secrets.on(RotateSecretCommand).resolves({ VersionId: 'v3' });
    const out = await run(act('rotate-credentials', 'ledger-db'), false, 'ledger-api');
    expect(out).toMatchObject({ status: 'applied', before: { currentVersion: 'v2' } });
    expect(secrets.commandCalls(RotateSecretCommand)).toHaveLength(1);
  });

  it('still refuses while a rotation is really in progress', async () => {
    secrets.on(DescribeSecretCommand).resolves({
      Name: 'ledger-db-credentials',
      RotationEnabled: true,
      RotationLambdaARN: 'arn:rot',
      VersionIdsToStages: { v2: ['AWSCURRENT'], v3: ['AWSPENDING'] },
    });
    const out = await run(act('rotate-credentials', 'ledger-db'), false, 'ledger-api');
    expect(out.detail).toMatch(/already being rotated/);
  });
});
