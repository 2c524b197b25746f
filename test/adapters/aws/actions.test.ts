/**
 * The allow-listed AWS action adapters, with every AWS call mocked at the SDK boundary
 * (aws-sdk-client-mock): validation first, dry-run changes nothing, real runs record before/after.
 */
import {
  AppConfigClient,
  CreateHostedConfigurationVersionCommand,
  GetConfigurationProfileCommand,
  GetHostedConfigurationVersionCommand,
  ListHostedConfigurationVersionsCommand,
  StartDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
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
import { blockableCidr, overlaps, parseCidr } from '../../../domain/actions/cidr.js';
import type { ResourceMap } from '../../../domain/actions/resources.js';
import { parseConfig } from '../../../domain/config.js';
import type { Incident, MitigationAction } from '../../../domain/model.js';
import { anIncident } from '../../support/incidents.js';

const lambda = mockClient(LambdaClient);
const ecs = mockClient(ECSClient);
const appConfig = mockClient(AppConfigClient);
const waf = mockClient(WAFV2Client);
const secrets = mockClient(SecretsManagerClient);
afterEach(() => {
  for (const m of [lambda, ecs, appConfig, waf, secrets]) m.reset();
});

const region = { region: 'eu-west-1' };
const clients = {
  lambda: new LambdaClient(region),
  ecs: new ECSClient(region),
  appConfig: new AppConfigClient(region),
  waf: () => new WAFV2Client(region),
  secrets: new SecretsManagerClient(region),
};

const resources: ResourceMap = parseConfig({
  resources: {
    checkout: { ecs: { cluster: 'prod', service: 'checkout', maxDesiredCount: 6 } },
    'payment-webhooks': {
      lambda: { functionName: 'payment-webhooks', alias: 'live', maxReservedConcurrency: 200 },
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
    'identity-api': {
      waf: { name: 'blocked', id: 'ipset-1', scope: 'REGIONAL', neverBlock: ['198.51.100.0/24'] },
    },
    'ledger-db': { service: 'ledger-api', secret: { secretId: 'ledger-db-credentials' } },
    reports: { ecs: { cluster: 'prod', service: 'reports' } },
  },
}).resources;

const ALL = [
  'rollback',
  'scale',
  'restart',
  'feature-flag',
  'block-traffic',
  'rotate-credentials',
  'failover',
] as const;
const actions = (enabled: readonly string[] = ALL) =>
  new AwsActions(clients, { enabledActions: enabled as never, resources });

// What the actions read of an incident: its id, severity and services.
const incident = (...services: string[]): Incident =>
  anIncident({ id: 'inc-actions-1', status: 'ACTIVE', severity: 'SEV2', service: services[0], services });

const act = (
  kind: MitigationAction['kind'],
  target: string,
  params: MitigationAction['params'] = {},
): MitigationAction => ({
  kind,
  target,
  params,
  rationale: '',
});

const writes = () => [
  ...lambda.commandCalls(UpdateAliasCommand),
  ...lambda.commandCalls(PutFunctionConcurrencyCommand),
  ...ecs.commandCalls(UpdateServiceCommand),
  ...appConfig.commandCalls(CreateHostedConfigurationVersionCommand),
  ...appConfig.commandCalls(StartDeploymentCommand),
  ...waf.commandCalls(UpdateIPSetCommand),
  ...secrets.commandCalls(RotateSecretCommand),
];

describe('AwsActions: what may run at all', () => {
  it('refuses a disabled kind, an unmapped target, another service’s resource, and failover — without calling AWS', async () => {
    const cases: Array<[AwsActions, MitigationAction, Incident, RegExp]> = [
      [actions(['scale']), act('rollback', 'checkout'), incident('checkout'), /rollback is not enabled/],
      [actions(), act('rollback', 'billing'), incident('billing'), /billing is not in the resource map/],
      [
        actions(),
        act('restart', 'checkout'),
        incident('search-api'),
        /belongs to checkout, which is not one of this incident/,
      ],
      [actions(), act('feature-flag', 'new-pricing-engine'), incident('checkout'), /belongs to cart/],
      [
        actions(),
        act('failover', 'checkout'),
        incident('checkout'),
        /failover has no automated implementation/,
      ],
      [
        actions(),
        act('restart', 'payment-webhooks'),
        incident('payment-webhooks'),
        /restart is not available for a Lambda/,
      ],
      [
        actions(),
        act('feature-flag', 'checkout'),
        incident('checkout'),
        /no resource in the resource map that feature-flag can act on/,
      ],
    ];
    for (const [a, action, inc, reason] of cases) {
      for (const dryRun of [true, false]) {
        const out = await a.execute(action, { dryRun, incident: inc });
        expect(out.status).toBe('failed');
        expect(out.detail).toMatch(reason);
      }
    }
    expect(lambda.calls().length + ecs.calls().length + appConfig.calls().length + waf.calls().length).toBe(
      0,
    );
  });

  it('reports a permanent AWS error as a failed outcome and rethrows throttling for the state machine to retry', async () => {
    ecs
      .on(DescribeServicesCommand)
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const denied = await actions().execute(act('restart', 'checkout'), {
      dryRun: false,
      incident: incident('checkout'),
    });
    expect(denied).toMatchObject({ status: 'failed', detail: 'AccessDeniedException: not authorized' });
    ecs
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $retryable: {} }));
    await expect(
      actions().execute(act('restart', 'checkout'), { dryRun: false, incident: incident('checkout') }),
    ).rejects.toThrow('slow down');
  });
});

describe('rollback', () => {
  const aliasAt = (version: string) =>
    lambda
      .on(GetAliasCommand)
      .resolves({ FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: { '41': 0.1 } } });
  const versions = () =>
    lambda.on(ListVersionsByFunctionCommand).resolves({
      Versions: [
        { Version: '$LATEST' },
        { Version: '40', Description: 'release v185' },
        { Version: '41', Description: 'release v186' },
        { Version: '42', Description: 'release v187' },
      ],
    });

  it('Lambda: a dry-run pins the previous version and changes nothing; the real run moves the alias and clears canary weights', async () => {
    aliasAt('42');
    versions();
    lambda
      .on(UpdateAliasCommand)
      .resolves({ FunctionVersion: '41', RoutingConfig: { AdditionalVersionWeights: {} } });
    const inc = incident('payment-webhooks');
    const dry = await actions().execute(act('rollback', 'payment-webhooks'), { dryRun: true, incident: inc });
    expect(dry).toMatchObject({ status: 'dry-run', resolvedParams: { fromVersion: '42', toVersion: '41' } });
    expect(dry.detail).toBe('Lambda payment-webhooks alias live: version 42 -> 41 (release v186)');
    expect(writes()).toHaveLength(0);
    const real = await actions().execute(act('rollback', 'payment-webhooks', dry.resolvedParams), {
      dryRun: false,
      incident: inc,
    });
    expect(real.status).toBe('applied');
    expect(real.before).toMatchObject({ version: '42', weights: { '41': 0.1 } });
    expect(real.after).toMatchObject({ version: '41', weights: {} });
    expect(lambda.commandCalls(UpdateAliasCommand)[0].args[0].input).toEqual({
      FunctionName: 'payment-webhooks',
      Name: 'live',
      FunctionVersion: '41',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
  });

  it('Lambda: a release label is matched in version descriptions; a moved alias or an unknown label is refused', async () => {
    aliasAt('42');
    versions();
    const inc = incident('payment-webhooks');
    const byLabel = await actions().execute(act('rollback', 'payment-webhooks', { toVersion: 'v185' }), {
      dryRun: true,
      incident: inc,
    });
    expect(byLabel.resolvedParams).toEqual({ fromVersion: '42', toVersion: '40' });
    const unknown = await actions().execute(act('rollback', 'payment-webhooks', { toVersion: 'v999' }), {
      dryRun: true,
      incident: inc,
    });
    expect(unknown).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/no published version older than 42 is described as v999/),
    });
    const moved = await actions().execute(
      act('rollback', 'payment-webhooks', { fromVersion: '43', toVersion: '41' }),
      {
        dryRun: false,
        incident: inc,
      },
    );
    expect(moved).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/moved from 43 to 42 since the plan/),
    });
    expect(writes()).toHaveLength(0);
  });

  it('Lambda: retried after success, the pinned rollback finds the alias already there and changes nothing', async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: '41' });
    const out = await actions().execute(
      act('rollback', 'payment-webhooks', { fromVersion: '42', toVersion: '41' }),
      {
        dryRun: false,
        incident: incident('payment-webhooks'),
      },
    );
    expect(out).toMatchObject({ status: 'applied', detail: expect.stringMatching(/^already done/) });
    expect(writes()).toHaveLength(0);
  });

  it('ECS: rolls the service back to the task definition whose image carries the release label', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          status: 'ACTIVE',
          taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
          desiredCount: 4,
          runningCount: 4,
        },
      ],
    });
    ecs.on(ListTaskDefinitionsCommand).resolves({
      taskDefinitionArns: ['42', '41', '40'].map(
        (r) => `arn:aws:ecs:eu-west-1:1:task-definition/checkout:${r}`,
      ),
    });
    ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: 'checkout:41' })
      .resolves({
        taskDefinition: {
          status: 'ACTIVE',
          containerDefinitions: [{ image: '1.dkr.ecr/checkout:v187-hotfix' }],
        },
      })
      .on(DescribeTaskDefinitionCommand, { taskDefinition: 'checkout:40' })
      .resolves({
        taskDefinition: { status: 'ACTIVE', containerDefinitions: [{ image: '1.dkr.ecr/checkout:v186' }] },
      });
    ecs
      .on(UpdateServiceCommand)
      .resolves({ service: { taskDefinition: 'checkout:40', desiredCount: 4, runningCount: 4 } });
    const inc = incident('checkout');
    const dry = await actions().execute(
      act('rollback', 'checkout', { toVersion: 'v186', fromVersion: 'v187' }),
      { dryRun: true, incident: inc },
    );
    expect(dry).toMatchObject({
      status: 'dry-run',
      detail: 'ECS service prod/checkout: task definition checkout:42 -> checkout:40',
    });
    expect(dry.resolvedParams).toEqual({ fromVersion: 'checkout:42', toVersion: 'checkout:40' });
    expect(writes()).toHaveLength(0);
    const real = await actions().execute(act('rollback', 'checkout', dry.resolvedParams), {
      dryRun: false,
      incident: inc,
    });
    expect(real.status).toBe('applied');
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      service: 'checkout',
      taskDefinition: 'checkout:40',
    });
    expect(real.before).toMatchObject({
      taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
    });
    expect(real.after).toMatchObject({ taskDefinition: 'checkout:40' });
  });
});

describe('scale and restart', () => {
  it('ECS: doubles the desired count within the configured ceiling; refuses beyond it or without one', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ status: 'ACTIVE', taskDefinition: 'checkout:42', desiredCount: 4, runningCount: 4 }],
    });
    ecs
      .on(UpdateServiceCommand)
      .resolves({ service: { taskDefinition: 'checkout:42', desiredCount: 6, runningCount: 4 } });
    const inc = incident('checkout');
    const real = await actions().execute(act('scale', 'checkout'), { dryRun: false, incident: inc });
    expect(real).toMatchObject({
      status: 'applied',
      detail: 'ECS service prod/checkout: desired count 4 -> 6 (max 6)',
    });
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      service: 'checkout',
      desiredCount: 6,
    });
    const tooMany = await actions().execute(act('scale', 'checkout', { desiredCount: 50 }), {
      dryRun: true,
      incident: inc,
    });
    expect(tooMany).toMatchObject({
      status: 'failed',
      detail: 'desiredCount must be a whole number from 1 to 6',
    });
    const down = await actions().execute(act('scale', 'checkout', { desiredCount: 2 }), {
      dryRun: true,
      incident: inc,
    });
    expect(down.detail).toMatch(/down from 4 to 2 is not a mitigation/);
    const noCeiling = await actions().execute(act('scale', 'reports'), {
      dryRun: true,
      incident: incident('reports'),
    });
    expect(noCeiling.detail).toMatch(/no maxDesiredCount is configured/);
  });

  it('Lambda: raises reserved concurrency; an unreserved function needs an explicit value', async () => {
    lambda
      .on(GetFunctionConcurrencyCommand)
      .resolvesOnce({ ReservedConcurrentExecutions: 50 })
      .resolvesOnce({});
    lambda.on(PutFunctionConcurrencyCommand).resolves({ ReservedConcurrentExecutions: 100 });
    const inc = incident('payment-webhooks');
    const real = await actions().execute(act('scale', 'payment-webhooks'), { dryRun: false, incident: inc });
    expect(real).toMatchObject({
      status: 'applied',
      before: { reservedConcurrency: 50 },
      after: { reservedConcurrency: 100 },
    });
    expect(lambda.commandCalls(PutFunctionConcurrencyCommand)[0].args[0].input).toEqual({
      FunctionName: 'payment-webhooks',
      ReservedConcurrentExecutions: 100,
    });
    const unreserved = await actions().execute(act('scale', 'payment-webhooks'), {
      dryRun: true,
      incident: inc,
    });
    expect(unreserved.detail).toMatch(/has no reserved concurrency/);
  });

  it('ECS restart forces a new deployment of the same task definition', async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ status: 'ACTIVE', taskDefinition: 'checkout:42', desiredCount: 3, runningCount: 3 }],
    });
    ecs.on(UpdateServiceCommand).resolves({
      service: { taskDefinition: 'checkout:42', deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY' }] },
    });
    const dry = await actions().execute(act('restart', 'checkout'), {
      dryRun: true,
      incident: incident('checkout'),
    });
    expect(dry.status).toBe('dry-run');
    expect(writes()).toHaveLength(0);
    const real = await actions().execute(act('restart', 'checkout'), {
      dryRun: false,
      incident: incident('checkout'),
    });
    expect(real.status).toBe('applied');
    expect(ecs.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      cluster: 'prod',
      service: 'checkout',
      forceNewDeployment: true,
    });
  });
});

describe('feature flag, block traffic, rotate credentials', () => {
  const flags = (enabled: boolean) =>
    Buffer.from(
      JSON.stringify({
        version: '1',
        flags: { new_pricing: { name: 'New pricing' } },
        values: { new_pricing: { enabled } },
      }),
    );

  it('AppConfig: writes a new version with the flag off (optimistic lock) and deploys it with the strategy', async () => {
    appConfig
      .on(GetConfigurationProfileCommand)
      .resolves({ Type: 'AWS.AppConfig.FeatureFlags', LocationUri: 'hosted' });
    appConfig.on(ListHostedConfigurationVersionsCommand).resolves({ Items: [{ VersionNumber: 7 }] });
    appConfig.on(GetHostedConfigurationVersionCommand).resolves({ Content: flags(true) as never });
    appConfig.on(CreateHostedConfigurationVersionCommand).resolves({ VersionNumber: 8 });
    appConfig.on(StartDeploymentCommand).resolves({ DeploymentNumber: 3, State: 'DEPLOYING' });
    const inc = incident('cart');
    const dry = await actions().execute(act('feature-flag', 'new-pricing-engine', { enabled: false }), {
      dryRun: true,
      incident: inc,
    });
    expect(dry).toMatchObject({
      status: 'dry-run',
      before: { enabled: true, version: 7 },
      after: { enabled: false },
    });
    expect(writes()).toHaveLength(0);
    const real = await actions().execute(act('feature-flag', 'new-pricing-engine', { enabled: false }), {
      dryRun: false,
      incident: inc,
    });
    expect(real).toMatchObject({
      status: 'applied',
      after: { enabled: false, version: 8, deploymentNumber: 3 },
    });
    const created = appConfig.commandCalls(CreateHostedConfigurationVersionCommand)[0].args[0].input;
    expect(created).toMatchObject({
      ApplicationId: 'app1',
      ConfigurationProfileId: 'prof1',
      LatestVersionNumber: 7,
      ContentType: 'application/json',
    });
    expect(JSON.parse(Buffer.from(created.Content as Uint8Array).toString()).values.new_pricing.enabled).toBe(
      false,
    );
    expect(appConfig.commandCalls(StartDeploymentCommand)[0].args[0].input).toMatchObject({
      EnvironmentId: 'env1',
      ConfigurationVersion: '8',
      DeploymentStrategyId: 'AppConfig.AllAtOnce',
    });
  });

  it('AppConfig: nothing to approve when the flag is already off; refuses a profile that is not feature flags', async () => {
    appConfig
      .on(GetConfigurationProfileCommand)
      .resolvesOnce({ Type: 'AWS.AppConfig.FeatureFlags', LocationUri: 'hosted' })
      .resolves({ Type: 'AWS.Freeform', LocationUri: 'hosted' });
    appConfig.on(ListHostedConfigurationVersionsCommand).resolves({ Items: [{ VersionNumber: 7 }] });
    appConfig.on(GetHostedConfigurationVersionCommand).resolves({ Content: flags(false) as never });
    const inc = incident('cart');
    const noop = await actions().execute(act('feature-flag', 'new-pricing-engine'), {
      dryRun: true,
      incident: inc,
    });
    expect(noop).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/^nothing to change: .*already off/),
    });
    const freeform = await actions().execute(act('feature-flag', 'new-pricing-engine'), {
      dryRun: true,
      incident: inc,
    });
    expect(freeform.detail).toMatch(/not a hosted feature-flag profile/);
    expect(writes()).toHaveLength(0);
  });

  it('WAF: adds a narrow range with the lock token; refuses wide, protected or missing ranges', async () => {
    waf.on(GetIPSetCommand).resolves({
      IPSet: {
        Name: 'blocked',
        Id: 'ipset-1',
        ARN: 'arn',
        IPAddressVersion: 'IPV4',
        Addresses: ['192.0.2.0/24'],
        Description: 'd',
      },
      LockToken: 'lock-1',
    });
    waf.on(UpdateIPSetCommand).resolves({ NextLockToken: 'lock-2' });
    const inc = incident('identity-api');
    const real = await actions().execute(act('block-traffic', 'identity-api', { cidr: '203.0.113.77' }), {
      dryRun: false,
      incident: inc,
    });
    expect(real).toMatchObject({ status: 'applied', after: { addresses: 2, added: '203.0.113.77/32' } });
    expect(waf.commandCalls(UpdateIPSetCommand)[0].args[0].input).toEqual({
      Name: 'blocked',
      Scope: 'REGIONAL',
      Id: 'ipset-1',
      Addresses: ['192.0.2.0/24', '203.0.113.77/32'],
      Description: 'd',
      LockToken: 'lock-1',
    });
    for (const [params, reason] of [
      [{ cidr: '10.0.0.0/8' }, /too wide/],
      [{ cidr: '198.51.100.7' }, /configured never to be blocked/],
      [{}, /needs a cidr/],
      [{ cidr: 'evil.example.com' }, /not an IP address/],
      [{ cidr: '2001:db8::1' }, /IP set blocked holds IPV4 ranges/],
    ] as const) {
      const out = await actions().execute(act('block-traffic', 'identity-api', params), {
        dryRun: true,
        incident: inc,
      });
      expect(out.detail).toMatch(reason);
    }
    const already = await actions().execute(act('block-traffic', 'identity-api', { cidr: '192.0.2.0/24' }), {
      dryRun: true,
      incident: inc,
    });
    expect(already.detail).toMatch(/^nothing to change/);
    expect(waf.commandCalls(UpdateIPSetCommand)).toHaveLength(1);
  });

  it('Secrets Manager: rotates through the configured rotation function, never without one', async () => {
    secrets
      .on(DescribeSecretCommand)
      .resolvesOnce({ Name: 'ledger-db-credentials', RotationEnabled: false })
      .resolves({
        Name: 'ledger-db-credentials',
        RotationEnabled: true,
        RotationLambdaARN: 'arn:rot',
        VersionIdsToStages: { v1: ['AWSCURRENT'] },
      });
    secrets.on(RotateSecretCommand).resolves({ VersionId: 'v2' });
    const inc = incident('ledger-api');
    const refused = await actions().execute(act('rotate-credentials', 'ledger-db'), {
      dryRun: false,
      incident: inc,
    });
    expect(refused.detail).toMatch(/has no rotation configured/);
    const real = await actions().execute(act('rotate-credentials', 'ledger-db'), {
      dryRun: false,
      incident: inc,
    });
    expect(real).toMatchObject({
      status: 'applied',
      before: { currentVersion: 'v1' },
      after: { newVersion: 'v2' },
    });
    expect(secrets.commandCalls(RotateSecretCommand)[0].args[0].input).toEqual({
      SecretId: 'ledger-db-credentials',
      RotateImmediately: true,
    });
  });

  it('parses CIDR ranges strictly, IPv4 and IPv6', () => {
    expect(parseCidr('203.0.113.77').text).toBe('203.0.113.77/32');
    expect(parseCidr('203.0.113.77/24').text).toBe('203.0.113.0/24');
    expect(parseCidr('2001:db8::1/64').text).toBe('2001:db8:0:0:0:0:0:0/64');
    expect(overlaps(parseCidr('10.1.2.3'), parseCidr('10.0.0.0/8'))).toBe(true);
    expect(overlaps(parseCidr('11.1.2.3'), parseCidr('10.0.0.0/8'))).toBe(false);
    expect(() => parseCidr('203.0.113.7/33')).toThrow(/invalid prefix/);
    expect(() => blockableCidr('2001:db8::/32', [])).toThrow(/too wide/);
    expect(blockableCidr('2001:db8:1:2::/64', []).prefix).toBe(64);
  });
});
