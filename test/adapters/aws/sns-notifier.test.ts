import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../../adapters/aws/sns-notifier.js';
import type { Incident } from '../../../domain/model.js';
import { composeMessage } from '../../../domain/notify/messages.js';
import { anIncident } from '../../support/incidents.js';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const incident: Incident = anIncident({
  id: 'inc-20260504-0930-ab12',
  status: 'ACTIVE',
  severity: 'SEV2',
  title: 'checkout 5xx — “elevated”',
  fingerprint: 'fp',
  updatedAt: '2026-05-04T09:31:00.000Z',
});

describe('SnsNotifier', () => {
  it('publishes one JSON-structured message with a body per protocol and routing attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const message = composeMessage('declared', incident, 'stakeholders', {
      nextUpdateAt: '2026-05-04T10:00:00.000Z',
    });
    await new SnsNotifier(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:123456789012:firebreak',
    ).publish(message);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:firebreak');
    expect(input.MessageStructure).toBe('json');
    expect(input.Subject).toBe(message.subject);
    expect(input.Subject).toMatch(
      /^\[SEV2\] INCIDENT DECLARED inc-20260504-0930-ab12: checkout 5xx - "elevated"$/,
    );
    const body = JSON.parse(input.Message as string) as Record<string, string>;
    expect(body.default).toBe(message.body);
    expect(body.email).toBe(message.body);
    expect(body.sms).toBe(message.sms);
    expect(body.sms.length).toBeLessThanOrEqual(160);
    for (const machine of ['https', 'sqs', 'lambda', 'email-json']) {
      expect(JSON.parse(body[machine])).toMatchObject({
        kind: 'declared',
        audience: 'stakeholders',
        incidentId: incident.id,
      });
    }
    expect(input.MessageAttributes).toMatchObject({
      severity: { DataType: 'String', StringValue: 'SEV2' },
      audience: { DataType: 'String', StringValue: 'stakeholders' },
      kind: { DataType: 'String', StringValue: 'declared' },
      incidentId: { DataType: 'String', StringValue: incident.id },
    });
  });

  it("keeps a long title under SNS's subject limit (fewer than 100 characters)", async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const long = { ...incident, title: `checkout ${'very '.repeat(40)}slow` };
    const notifier = new SnsNotifier(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:123456789012:firebreak',
    );
    await notifier.publish(composeMessage('declared', long, 'oncall'));
    await notifier.publish({ ...composeMessage('declared', long, 'oncall'), subject: 'x'.repeat(300) });
    const subjects = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject ?? '');
    for (const s of subjects) expect(s.length).toBeLessThanOrEqual(99);
    // Cut at a word ("very very..."), so a little shorter than the limit; a single token is cut hard.
    expect(subjects[0]).toMatch(/ very\.\.\.$/);
    expect(subjects[0].length).toBeGreaterThan(90);
    expect(subjects[1].length).toBe(99);
  });

  it('lets a failed publish surface, so the phase retries instead of pretending people were told', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const notifier = new SnsNotifier(
      new SNSClient({ region: 'us-east-1' }),
      'arn:aws:sns:us-east-1:123456789012:firebreak',
    );
    await expect(notifier.publish(composeMessage('all-clear', incident, 'oncall'))).rejects.toThrow(
      'Rate exceeded',
    );
  });
});
