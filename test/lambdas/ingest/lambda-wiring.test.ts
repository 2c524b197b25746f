import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoIncidentStore } from '../../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import { systemClock } from '../../../domain/clock.js';
import { RecordingEngine } from '../../../domain/ingest/engine.js';
import { Ingestor } from '../../../domain/ingest/ingest.js';
import { MemoryMetrics } from '../../../domain/ingest/metrics.js';
import { parseIngestOptions } from '../../../domain/ingest/options.js';
import { makeHandler } from '../../../lambdas/ingest/handler.js';
import type { IngestHandlerDeps } from '../../../lambdas/ingest/index.js';
import { AwsClients } from '../../../runtime/aws-clients.js';
import { awsIngestDeps } from '../../../runtime/ingest-wiring.js';
import { startTestStore } from '../../support/store.js';
import { alarmEvent, fixture } from './fixtures.js';

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

const context = {
  functionName: 'firebreak-ingest',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 5000,
} as unknown as Context;

describe('the ingest Lambda (middy, Powertools) around the one handler', () => {
  it('wires once, then serves EventBridge events and HTTP requests alike', async () => {
    let wired = 0;
    const engine = new RecordingEngine();
    const metrics = new MemoryMetrics();
    const handler = makeHandler((): IngestHandlerDeps => {
      wired++;
      const options = parseIngestOptions({});
      return {
        ingestor: new Ingestor({ store, clock: systemClock, engine, options }),
        store,
        clock: systemClock,
        options,
        secrets: async () => ({}),
        metrics,
        confirmSubscription: async () => 'unused',
        log: () => undefined,
      };
    });
    const started = (await handler(alarmEvent({ id: 'wired-evt-1', alarm: 'wired-alarm' }), context)) as {
      decision: string;
    };
    expect(started.decision).toBe('start');
    expect(engine.starts).toHaveLength(1);
    const refused = (await handler(fixture('eventbridge-config-change'), context)) as { decision: string };
    expect(refused.decision).toBe('reject');
    const http = (await handler(
      {
        version: '2.0',
        rawPath: '/webhooks/grafana',
        requestContext: { http: { method: 'POST' } },
        body: '{}',
      },
      context,
    )) as { statusCode: number };
    expect(http.statusCode).toBe(401);
    expect(wired).toBe(1);
    expect(metrics.counts).toMatchObject({
      'decided.start': 1,
      'rejected.invalid-payload': 1,
      'rejected.not-configured': 1,
    });
  });
});

describe('the ingest Lambda as the stack wires it', () => {
  it('sends the all-clear on the topic when a source resolves an incident no execution watches', async () => {
    const sfn = mockClient(SFNClient);
    const sns = mockClient(SNSClient);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:eu-west-1:1:execution:sm:x' });
    // The response handed off and ended: nothing is watching the incident any more.
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const topic = 'arn:aws:sns:eu-west-1:210987654321:firebreak-updates';
    const deps = awsIngestDeps(new AwsClients({ dynamo: db.doc }), {
      TABLE_NAME: db.tableName,
      STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:210987654321:stateMachine:sm',
      TOPIC_ARN: topic,
    });
    const handler = makeHandler(() => deps);
    const alarm = 'handed-off-alarm';
    const started = (await handler(
      alarmEvent({ id: 'ho-1', alarm, service: 'ledger', at: '2026-11-20T10:00:00.000+0000' }),
      context,
    )) as { decision: string; incidentId: string };
    expect(started.decision).toBe('start');
    // What the flow recorded before it let go: on-call was paged.
    await store.appendEvent(started.incidentId, {
      at: '2026-11-20T10:01:00.000Z',
      type: 'notification',
      actor: 'firebreak',
      text: 'paged on-call',
      data: { audience: 'oncall' },
    });
    const resolved = (await handler(
      alarmEvent({ id: 'ho-2', alarm, service: 'ledger', state: 'OK', at: '2026-11-20T10:30:00.000+0000' }),
      context,
    )) as { decision: string };
    expect(resolved.decision).toBe('resolve');
    const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      TopicArn: topic,
      MessageAttributes: {
        kind: { StringValue: 'all-clear' },
        audience: { StringValue: 'oncall' },
        incidentId: { StringValue: started.incidentId },
      },
    });
    sfn.restore();
    sns.restore();
  });
});
