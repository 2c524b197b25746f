/**
 * The AWS path through the phases, without the engine: plan (a dry-run against ECS pins the exact
 * task definition), request approval (signed links naming that change), the link answers Step
 * Functions, and Mitigate runs exactly what was approved — AWS mocked at the SDK boundary only.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsActions } from '../../adapters/aws/actions/index.js';
import { SfnTaskAnswerer } from '../../adapters/aws/sfn-answerer.js';
import type { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';
import { MemoryNotifier } from '../../adapters/embedded/notifiers.js';
import { ScenarioEnvironment } from '../../adapters/embedded/scenario/environment.js';
import { Scenario } from '../../adapters/embedded/scenario/schema.js';
import { staticKey } from '../../domain/approval/links.js';
import { ManualClock } from '../../domain/clock.js';
import { parseConfig } from '../../domain/config.js';
import { ValidationError } from '../../domain/errors.js';
import type { Incident } from '../../domain/model.js';
import type { Ports } from '../../domain/ports.js';
import { handleApprovalRequest } from '../../lambdas/approval-api/index.js';
import { mitigate } from '../../lambdas/mitigate/index.js';
import { planMitigation } from '../../lambdas/plan-mitigation/index.js';
import { requestApproval } from '../../lambdas/request-approval/index.js';
import { anIncident } from '../support/incidents.js';
import { fixture } from '../support/response-harness.js';
import { ScriptedAnalyst } from '../support/scripted-analyst.js';
import { startTestStore } from '../support/store.js';

const ecs = mockClient(ECSClient);
const sfn = mockClient(SFNClient);
const KEY = Buffer.from('s'.repeat(40));

let db: EmbeddedDynamoDB;
let ports: Ports;
const notifier = new MemoryNotifier();
const clock = new ManualClock('2026-05-04T09:31:00.000Z');

beforeAll(async () => {
  let store: DynamoIncidentStore;
  ({ db, store } = await startTestStore());
  const config = parseConfig({
    enabledActions: ['rollback'],
    resources: { checkout: { ecs: { cluster: 'prod', service: 'checkout' } } },
  });
  const env = new ScenarioEnvironment(
    Scenario.parse(fixture('sev2-checkout-needs-rollback')),
    clock,
    '2026-05-04T09:30:00Z',
  );
  ports = {
    store,
    notifier,
    evidence: env,
    analyst: new ScriptedAnalyst({ severity: 'SEV2' }),
    actions: new AwsActions({ ecs: new ECSClient({ region: 'eu-west-1' }) }, config),
    artifacts: { writePostmortem: async () => undefined },
    clock,
    config,
    approvalLinks: { baseUrl: 'https://firebreak.example', keys: staticKey(KEY) },
  };
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        status: 'ACTIVE',
        taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
        desiredCount: 3,
        runningCount: 3,
      },
    ],
  });
  ecs.on(ListTaskDefinitionsCommand).resolves({
    taskDefinitionArns: [
      'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
      'arn:aws:ecs:eu-west-1:1:task-definition/checkout:41',
    ],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: { status: 'ACTIVE', containerDefinitions: [{ image: 'ecr/checkout:v41' }] },
  });
  ecs
    .on(UpdateServiceCommand)
    .resolves({ service: { taskDefinition: 'checkout:41', desiredCount: 3, runningCount: 3 } });
  sfn.on(SendTaskSuccessCommand).resolves({});
});
afterAll(async () => db.close());

const incident: Incident = anIncident({
  id: 'inc-aws-path-1',
  status: 'ACTIVE',
  severity: 'SEV2',
  fingerprint: 'fp-aws-path',
  declaredAt: '2026-05-04T09:30:20.000Z',
  updatedAt: '2026-05-04T09:30:20.000Z',
  rootCause: {
    category: 'deployment',
    culprit: 'v42',
    summary: 'checkout v42 broke orders',
    causalChain: [],
    confidence: 0.9,
    evidence: ['deploy:checkout@v42'],
    ruledOut: [],
    mitigation: {
      kind: 'rollback',
      target: 'checkout',
      params: { toVersion: 'v41' },
      rationale: 'v42 began the errors',
    },
    degraded: false,
  },
});

describe('the AWS path through plan, approval and mitigation', () => {
  it('approves and runs exactly the change the dry-run showed', async () => {
    await ports.store.create(incident);
    const plan = await planMitigation({ incidentId: incident.id }, ports);
    expect(plan).toMatchObject({
      next: 'approve',
      preview: 'ECS service prod/checkout: task definition checkout:42 -> checkout:41',
    });
    expect(plan.action?.params).toEqual({ toVersion: 'checkout:41', fromVersion: 'checkout:42' });
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);

    await requestApproval(
      {
        incidentId: incident.id,
        action: plan.action as NonNullable<typeof plan.action>,
        taskToken: 'sfn-task-token',
      },
      ports,
    );
    const request = notifier.sent.find((m) => m.kind === 'approval-request');
    expect(request?.body).toContain(
      'Will change: ECS service prod/checkout: task definition checkout:42 -> checkout:41',
    );
    const approveLink = /Approve: +(\S+)/.exec(request?.body ?? '')?.[1] as string;
    expect(approveLink).toMatch(
      /^https:\/\/firebreak.example\/approvals\/inc-aws-path-1\?d=approve&exp=\d+&n=[\w-]+&sig=[\w-]{43}$/,
    );

    // Someone running the wrong action is refused, before and after approval.
    const tampered = {
      ...(plan.action as NonNullable<typeof plan.action>),
      params: { toVersion: 'checkout:1' },
    };
    await expect(mitigate({ incidentId: incident.id, action: tampered }, ports)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      mitigate({ incidentId: incident.id, action: plan.action as NonNullable<typeof plan.action> }, ports),
    ).rejects.toThrow(/has not been approved/);

    const url = new URL(approveLink);
    const answered = await handleApprovalRequest(
      {
        method: 'POST',
        path: url.pathname,
        body: new URLSearchParams({ ...Object.fromEntries(url.searchParams), by: 'alice' }).toString(),
      },
      {
        store: ports.store,
        clock,
        keys: staticKey(KEY),
        answerer: new SfnTaskAnswerer(new SFNClient({ region: 'eu-west-1' })),
      },
    );
    expect(answered.statusCode).toBe(200);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input.taskToken).toBe('sfn-task-token');

    clock.advance(60);
    const result = await mitigate(
      { incidentId: incident.id, action: plan.action as NonNullable<typeof plan.action> },
      ports,
    );
    expect(result.status).toBe('applied');
    expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'prod', service: 'checkout', taskDefinition: 'checkout:41' },
    ]);
    const after = await ports.store.get(incident.id);
    expect(after).toMatchObject({ status: 'MITIGATED', mitigatedAt: '2026-05-04T09:32:00.000Z' });
    expect(after?.mitigation).toMatchObject({ status: 'applied', approvedBy: 'link:alice' });
    expect(after?.mitigation?.before).toMatchObject({
      taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/checkout:42',
    });
    expect(after?.mitigation?.after).toMatchObject({ taskDefinition: 'checkout:41' });
    // A retried Mitigate does not act twice.
    await mitigate(
      { incidentId: incident.id, action: plan.action as NonNullable<typeof plan.action> },
      ports,
    );
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(notifier.sent.filter((m) => m.kind === 'mitigation-applied').map((m) => m.audience)).toEqual([
      'oncall',
      'stakeholders',
    ]);
  });
});
