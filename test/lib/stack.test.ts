/**
 * The production-shaped stack (test/lib/fixtures/production.json), synthesized once: every
 * resource the deployment needs, its least-privilege policies, and a clean cdk-nag run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../domain/config.js';
import { PHASES, type PhaseKey } from '../../lambdas/phases.js';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import { parseDeployConfig } from '../../lib/config.js';
import { WEBHOOK_SOURCES } from '../../lib/ingestion.js';
import { MANAGED_TAG, UNSCOPABLE, UNTAGGED_READS } from '../../lib/permissions.js';
import { PHASE_PROFILES } from '../../lib/profiles.js';
import { ENV } from '../../runtime/env.js';
import { parseWebhookSecrets } from '../../runtime/webhook-secrets.js';
import {
  placeholders,
  readDefinitionText,
  substitute,
  taskMap,
  walkStates,
} from '../../statemachines/definition.js';
import { iamViolations, identityStatements, starActions } from './iam.js';
import { type CfnResource, nagFindings, ofType, type Synthesized, synthesize } from './synth.js';

const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/lib/fixtures/production.json'), 'utf8'));

let s: Synthesized;
beforeAll(() => {
  // With CloudFormation schema validation, as `cdk synth` runs it: a finding fails synthesis here.
  s = synthesize(fixture, { cfnValidation: true });
}, 120_000);

/** The Lambda resources by what they run: phase dir, `ingest` or `approval-api`. */
function functionsByName(): Map<string, [string, CfnResource]> {
  const out = new Map<string, [string, CfnResource]>();
  for (const [id, r] of ofType(s.json, 'AWS::Lambda::Function')) {
    const service = r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME as string;
    out.set(service.replace(/^firebreak-/, ''), [id, r]);
  }
  return out;
}

/** One function by name; a missing one fails the test that asked. */
function fn(name: string): [string, CfnResource] {
  const found = functionsByName().get(name);
  if (!found) throw new Error(`no function ${name} in the template`);
  return found;
}

/** The statements of the policy attached to a function's role. */
function statementsOf(fnLogicalId: string) {
  const roleId = s.json.Resources[fnLogicalId].Properties.Role['Fn::GetAtt'][0] as string;
  return ofType(s.json, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
}
const actionsOf = (fnLogicalId: string) =>
  new Set(statementsOf(fnLogicalId).flatMap((st) => [st.Action].flat() as string[]));

describe('storage', () => {
  it('is the single table of adapters/aws/store/table.ts: on demand, PITR, KMS, TTL, status index, retained', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'status', KeyType: 'HASH' },
              { AttributeName: 'listedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
    // The table's key is customer-managed, rotated, and outlives the table only as long as it does.
    const [, table] = ofType(s.json, 'AWS::DynamoDB::Table')[0];
    const keyId = table.Properties.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
    expect(s.json.Resources[keyId]).toMatchObject({
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      Properties: { EnableKeyRotation: true },
    });
  });
});

describe('notifications', () => {
  it('has an encrypted, SSL-only status topic and ops topic', () => {
    s.template.resourceCountIs('AWS::SNS::Topic', 2);
    for (const [id, topic] of ofType(s.json, 'AWS::SNS::Topic')) {
      expect(topic.Properties.KmsMasterKeyId, id).toBeDefined();
      const policy = ofType(s.json, 'AWS::SNS::TopicPolicy').find(([, p]) =>
        (p.Properties.Topics as Array<{ Ref: string }>).some((t) => t.Ref === id),
      );
      expect(policy?.[1].Properties.PolicyDocument.Statement, id).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  const subscriptions = () => ofType(s.json, 'AWS::SNS::Subscription').map(([, r]) => r.Properties);
  const topicId = (name: string) => ofType(s.json, 'AWS::SNS::Topic').find(([id]) => id.includes(name))?.[0];
  const clauses = (p: Record<string, unknown>) =>
    ((p.FilterPolicy as { $or?: unknown[] }).$or ?? [p.FilterPolicy]) as Array<{
      audience: string[];
      severity: string[];
    }>;

  it('filters each email and SMS subscription by audience and severity: executives SEV1, nobody SEV4', () => {
    const updates = subscriptions().filter((p) => p.TopicArn.Ref === topicId('Updates'));
    const byEndpoint = Object.fromEntries(updates.map((p) => [p.Endpoint as string, p]));
    expect(Object.keys(byEndpoint).sort()).toEqual(
      [
        '+15555550100',
        'cto@example.com',
        'em@example.com',
        'oncall@example.com',
        'status@example.com',
      ].sort(),
    );
    for (const p of updates) expect(p.FilterPolicyScope).toBe('MessageAttributes');
    expect(byEndpoint['+15555550100']).toMatchObject({ Protocol: 'sms' });
    expect(clauses(byEndpoint['cto@example.com'])).toEqual([
      { audience: ['executives'], severity: ['SEV1'] },
    ]);
    expect(clauses(byEndpoint['status@example.com'])).toEqual([
      { audience: ['stakeholders'], severity: ['SEV1', 'SEV2'] },
    ]);
    // One person on call and team lead: one subscription, one clause per audience.
    expect(clauses(byEndpoint['oncall@example.com'])).toEqual([
      { audience: ['oncall'], severity: ['SEV1', 'SEV2', 'SEV3'] },
      { audience: ['team-lead'], severity: ['SEV1', 'SEV2', 'SEV3'] },
    ]);
    // A subscriber's own list narrows the audience's.
    expect(clauses(byEndpoint['em@example.com'])).toEqual([
      { audience: ['engineering-manager'], severity: ['SEV1', 'SEV2'] },
    ]);
    for (const p of updates) for (const c of clauses(p)) expect(c.severity).not.toContain('SEV4');
  });

  it('subscribes on-call, unfiltered, to the ops topic the health alarms notify', () => {
    const ops = subscriptions().filter((p) => p.TopicArn.Ref === topicId('Ops'));
    expect(ops.map((p) => p.Endpoint).sort()).toEqual(['+15555550100', 'oncall@example.com']);
    for (const p of ops) expect(p.FilterPolicy).toBeUndefined();
  });
});

describe('functions', () => {
  it('deploys every phase, ingest and the approval endpoint: Node 22, arm64, traced, bounded logs', () => {
    const fns = functionsByName();
    const expected = [...Object.values(PHASES).map((p) => p.dir), 'ingest', 'approval-api'];
    expect([...fns.keys()].sort()).toEqual(expected.sort());
    for (const [name, [, f]] of fns) {
      expect(f.Properties, name).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
      const logGroup = s.json.Resources[f.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup.Properties.RetentionInDays, name).toBe(90);
    }
  });

  it('sizes each phase by its profile and keeps it inside its Task timeout', () => {
    const tasks = [...taskMap(readDefinitionText()).values()];
    for (const [key, phase] of Object.entries(PHASES) as Array<[PhaseKey, (typeof PHASES)[PhaseKey]]>) {
      const [, f] = fn(phase.dir);
      expect(f.Properties, phase.dir).toMatchObject({
        Timeout: PHASE_PROFILES[key].timeoutSeconds,
        MemorySize: PHASE_PROFILES[key].memoryMb,
      });
      for (const task of tasks.filter((t) => t.key === key && !t.waitForTaskToken)) {
        expect(f.Properties.Timeout, phase.dir).toBeLessThan(task.state.TimeoutSeconds as number);
      }
    }
  });

  it('hands every phase the table, the topic and the same configuration, parsed by the core schema', () => {
    const expected = parseDeployConfig(fixture).runtime;
    for (const phase of Object.values(PHASES)) {
      const name = phase.dir;
      const env = fn(name)[1].Properties.Environment.Variables;
      expect(env[ENV.tableName], name).toEqual({ Ref: expect.stringMatching(/^StorageIncidents/) });
      expect(env[ENV.topicArn], name).toEqual({ Ref: expect.stringMatching(/^NotificationsUpdates/) });
      expect(parseConfig(JSON.parse(env[ENV.config])), name).toEqual(expected);
      expect(JSON.parse(env[ENV.catalog]).services.map((x: { name: string }) => x.name)).toEqual([
        'checkout',
        'payments',
      ]);
    }
  });

  it('gives model settings and the key secret only to analyst phases, approval links only to RequestApproval', () => {
    for (const [key, phase] of Object.entries(PHASES) as Array<[PhaseKey, (typeof PHASES)[PhaseKey]]>) {
      const env = fn(phase.dir)[1].Properties.Environment.Variables;
      if (PHASE_PROFILES[key].analyst) {
        expect(env, phase.dir).toMatchObject({
          [ENV.modelProvider]: 'anthropic',
          [ENV.fastModel]: 'claude-haiku-4-5',
          [ENV.strongModel]: 'claude-sonnet-4-5',
          [ENV.anthropicSecretArn]: { Ref: expect.stringMatching(/^ModelAnthropicApiKey/) },
        });
      } else {
        expect(env[ENV.anthropicSecretArn], phase.dir).toBeUndefined();
      }
      if (PHASE_PROFILES[key].signsApprovalLinks) {
        expect(env[ENV.approvalSecretArn]).toEqual({
          Ref: expect.stringMatching(/^ApprovalLinksSigningKey/),
        });
        expect(env[ENV.approvalBaseUrl]).toBeDefined();
      } else {
        expect(env[ENV.approvalSecretArn], phase.dir).toBeUndefined();
      }
    }
  });
});

describe('state machine', () => {
  it('logs ALL to its log group, traces with X-Ray and invokes every phase', () => {
    s.template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    s.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    const [, sm] = ofType(s.json, 'AWS::StepFunctions::StateMachine')[0];
    const roleId = sm.Properties.RoleArn['Fn::GetAtt'][0];
    const invoke = ofType(s.json, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
      .flatMap(
        ([, p]) => p.Properties.PolicyDocument.Statement as Array<{ Action: string; Resource: unknown[] }>,
      )
      .filter((st) => st.Action === 'lambda:InvokeFunction')
      .flatMap((st) => st.Resource);
    for (const phase of Object.values(PHASES)) {
      const [fnId] = fn(phase.dir);
      expect(invoke, phase.dir).toContainEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    }
  });
});

describe('definition', () => {
  it('is the ASL file itself, each placeholder substituted by its phase function, none missing or unused', () => {
    const [, sm] = ofType(s.json, 'AWS::StepFunctions::StateMachine')[0];
    const text = readDefinitionText();
    expect(sm.Properties.DefinitionString).toBe(text);
    const subs = sm.Properties.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    // Missing (a placeholder without a value) and unused (a value without a placeholder) both fail here.
    expect(Object.keys(subs).sort()).toEqual(placeholders(text));
    for (const [key, value] of Object.entries(subs)) {
      expect(value, key).toEqual({ 'Fn::GetAtt': [fn(PHASES[key as PhaseKey].dir)[0], 'Arn'] });
    }
    // Substituted, every Task invokes a Lambda ARN, and the execution has a timeout.
    const resolved = substitute(
      text,
      Object.fromEntries(
        Object.entries(subs).map(([k, v]) => [
          k,
          `arn:aws:lambda:eu-west-1:123456789012:function:${v['Fn::GetAtt'][0]}`,
        ]),
      ),
    );
    let tasks = 0;
    walkStates(resolved.States, (_name, state) => {
      if (state.Type !== 'Task') return;
      tasks++;
      const target =
        (state.Parameters as { FunctionName?: string } | undefined)?.FunctionName ?? state.Resource;
      expect(target).toMatch(/^arn:aws:lambda:eu-west-1:123456789012:function:Pipeline/);
    });
    expect(tasks).toBeGreaterThanOrEqual(Object.keys(PHASES).length);
    expect(resolved.TimeoutSeconds).toBeGreaterThan(0);
  });
});

describe('triggers', () => {
  it('sends CloudWatch alarm state changes into ALARM and OK to ingest, dead letters to the DLQ', () => {
    const [ingestId] = fn('ingest');
    const [dlqId] = ofType(s.json, 'AWS::SQS::Queue')[0];
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change', 'CloudWatch Alarm Contributor State Change'],
        detail: {
          state: { value: ['ALARM', 'OK'] },
          alarmName: [{ 'anything-but': { prefix: 'Firebreak-ops-' } }],
        },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [ingestId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        },
      ],
    });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ingestId },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    s.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('routes the webhooks to ingest and the approval links to the approval function, throttled and logged', () => {
    const integrationOf = (fnId: string) =>
      ofType(s.json, 'AWS::ApiGatewayV2::Integration').find(
        ([, i]) => i.Properties.IntegrationUri['Fn::GetAtt']?.[0] === fnId,
      )?.[0];
    const [ingestId] = fn('ingest');
    const [approvalId] = fn('approval-api');
    const routes = Object.fromEntries(
      ofType(s.json, 'AWS::ApiGatewayV2::Route').map(([, r]) => [
        r.Properties.RouteKey as string,
        (r.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string },
      ]),
    );
    const expected = {
      ...Object.fromEntries(WEBHOOK_SOURCES.map((src) => [`POST /webhooks/${src}`, integrationOf(ingestId)])),
      'GET /approvals/{proxy+}': integrationOf(approvalId),
      'POST /approvals/{proxy+}': integrationOf(approvalId),
    };
    expect(Object.fromEntries(Object.entries(routes).map(([k, v]) => [k, v.Ref]))).toEqual(expected);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });
});

describe('secrets', () => {
  it('creates the Anthropic key empty, webhook secrets for the operator to fill, a generated link key', () => {
    const secrets = Object.fromEntries(ofType(s.json, 'AWS::SecretsManager::Secret'));
    const byPrefix = (p: string) => Object.entries(secrets).find(([id]) => id.startsWith(p))?.[1].Properties;
    expect(Object.keys(secrets)).toHaveLength(3);
    expect(byPrefix('ModelAnthropicApiKey')).not.toHaveProperty('GenerateSecretString');
    expect(byPrefix('ModelAnthropicApiKey')).not.toHaveProperty('SecretString');
    const generate = byPrefix('IngestionWebhookSecrets')?.GenerateSecretString;
    expect(generate).toMatchObject({ SecretStringTemplate: '{}', GenerateStringKey: 'alertmanager' });
    // What Secrets Manager will store parses as the ingest function's webhook secrets.
    const stored = {
      ...JSON.parse(generate.SecretStringTemplate),
      alertmanager: 'x'.repeat(generate.PasswordLength),
    };
    expect(parseWebhookSecrets(JSON.stringify(stored)).alertmanager).toHaveLength(1);
    expect(byPrefix('ApprovalLinksSigningKey')?.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    const ingestEnv = fn('ingest')[1].Properties.Environment.Variables;
    expect(ingestEnv[ENV.webhookSecretsArn]).toEqual({
      Ref: expect.stringMatching(/^IngestionWebhookSecrets/),
    });
    expect(ingestEnv[ENV.stateMachineArn]).toEqual({
      Ref: expect.stringMatching(/^PipelineIncidentResponse/),
    });
  });
});

describe('operability', () => {
  it('alarms on failed and timed-out executions, ingest errors and dead letters, to the ops topic', () => {
    const alarms = ofType(s.json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const byMetric = Object.fromEntries(alarms.map((a) => [a.MetricName as string, a]));
    expect(Object.keys(byMetric).sort()).toEqual(
      ['ApproximateNumberOfMessagesVisible', 'Errors', 'ExecutionsFailed', 'ExecutionsTimedOut'].sort(),
    );
    const ops = ofType(s.json, 'AWS::SNS::Topic').find(([id]) => id.includes('Ops'))?.[0];
    for (const a of alarms) {
      expect(a.AlarmName).toMatch(/^Firebreak-ops-/);
      expect(a.AlarmActions).toEqual([{ Ref: ops }]);
      expect(a.Threshold).toBe(1);
    }
  });

  it('outputs the webhook URLs, approval URL, state machine, topic and table', () => {
    const outputs = Object.keys(s.json.Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'WebhookPagerdutyUrl',
        'WebhookAlertmanagerUrl',
        'WebhookGrafanaUrl',
        'WebhookSnsUrl',
        'ApprovalUrl',
        'StateMachineArn',
        'TopicArn',
        'TableName',
      ]),
    );
    expect(JSON.stringify(s.json.Outputs.WebhookPagerdutyUrl.Value)).toContain('/webhooks/pagerduty');
  });
});

describe('least privilege', () => {
  it('has no "*" action and no "*" resource outside the commented unscopable calls', () => {
    expect(iamViolations(s.json.Resources, UNSCOPABLE)).toEqual([]);
    // The evidence and rollback reads are on "*" and every one of them is listed with a reason.
    const star = starActions(s.json.Resources);
    expect(star).toContain('cloudtrail:LookupEvents');
    for (const action of star) expect(UNSCOPABLE[action], action).toMatch(/\S/);
  });

  it('grants read-only telemetry to exactly the evidence phases, Logs Insights on catalog groups only', () => {
    for (const [key, phase] of Object.entries(PHASES) as Array<[PhaseKey, (typeof PHASES)[PhaseKey]]>) {
      const [fnId] = fn(phase.dir);
      const actions = actionsOf(fnId);
      expect(actions.has('cloudtrail:LookupEvents'), phase.dir).toBe(PHASE_PROFILES[key].evidence);
      expect(actions.has('sns:Publish'), phase.dir).toBe(PHASE_PROFILES[key].publishes);
      expect(actions.has('bedrock:InvokeModel'), phase.dir).toBe(false);
      expect(actions.has('dynamodb:PutItem'), phase.dir).toBe(true);
      if (!PHASE_PROFILES[key].evidence) continue;
      const startQuery = statementsOf(fnId).find((st) => st.Action === 'logs:StartQuery');
      expect(JSON.stringify(startQuery?.Resource)).toContain('log-group:/aws/lambda/checkout-api');
      expect(JSON.stringify(startQuery?.Resource)).toContain('log-group:/ecs/payments');
    }
  });

  it('lets Mitigate change the mapped, tagged resources, PlanMitigation only read them for its dry run', () => {
    // (secretsmanager:DescribeSecret also comes with reading Firebreak's own secrets: not counted.)
    const mitigation = /^(ecs|lambda|appconfig|wafv2):|^secretsmanager:RotateSecret$/;
    const writes =
      /UpdateAlias|UpdateService|PutFunctionConcurrency|CreateHostedConfigurationVersion|StartDeployment|UpdateIPSet|RotateSecret/;
    for (const [name, [fnId]] of functionsByName()) {
      const granted = [...actionsOf(fnId)].filter((a) => mitigation.test(a));
      if (name === 'mitigate') expect(granted.filter((a) => writes.test(a)).length, name).toBeGreaterThan(0);
      else if (name === 'plan-mitigation') {
        expect(granted.length, name).toBeGreaterThan(0);
        expect(
          granted.filter((a) => writes.test(a)),
          name,
        ).toEqual([]);
      } else expect(granted, name).toEqual([]);
    }
    for (const name of ['mitigate', 'plan-mitigation']) {
      const scoped = statementsOf(fn(name)[0]).filter((st) =>
        ([st.Action].flat() as string[]).some((a) => mitigation.test(a) && !/TaskDefinition/.test(a)),
      );
      for (const st of scoped) {
        if (st.Sid === 'AppConfigDeploymentStrategies') continue;
        if (String(st.Sid) in UNTAGGED_READS) {
          // Untaggable resources: a tag condition would deny the call; these only read.
          expect(
            ([st.Action].flat() as string[]).every((a) => /:(Get|List|Describe)/.test(a)),
            String(st.Sid),
          ).toBe(true);
          continue;
        }
        expect(st.Condition, `${name} ${st.Sid}`).toEqual({
          StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' },
        });
        expect(JSON.stringify(st.Resource)).toMatch(
          /function:checkout-api|service\/prod\/payments|application\/abc1234|ipset\/firebreak-blocklist|secret:prod\/payments\/db/,
        );
      }
    }
  });

  it('lets ingest start and look up executions and publish the all-clear, and the approval function only answer tasks', () => {
    const [ingestId, ingest] = fn('ingest');
    const [approvalId] = fn('approval-api');
    expect(actionsOf(ingestId)).toContain('states:StartExecution');
    expect(actionsOf(ingestId)).toContain('states:DescribeExecution');
    // A source resolving an incident after hand-off: ingest tells everyone paged, on the updates topic.
    const updates = { Ref: expect.stringMatching(/^NotificationsUpdates/) };
    expect(ingest.Properties.Environment.Variables[ENV.topicArn]).toEqual(updates);
    expect(statementsOf(ingestId).filter((st) => st.Action === 'sns:Publish')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Resource: updates }),
    ]);
    expect([...actionsOf(approvalId)].filter((a) => a.startsWith('states:')).sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
    ]);
    expect(actionsOf(approvalId).has('sns:Publish')).toBe(false);
  });

  it('acknowledges every cdk-nag AwsSolutions finding, each with a reason', () => {
    expect(nagFindings(s.stack)).toEqual([]);
    // Every acknowledgement in the tree carries its reason.
    const reasons = s.stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.values(m.data as Record<string, string>));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.trim().length).toBeGreaterThan(20);
  });
});

it('reports which entry points were stood in for (none once ingest and approval-api exist)', () => {
  expect(s.standIns).toEqual([]);
});

it('keeps identity statements free of NotAction/NotResource', () => {
  for (const { statement } of identityStatements(s.json.Resources)) {
    expect(statement.NotAction).toBeUndefined();
    expect(statement.NotResource).toBeUndefined();
  }
});
