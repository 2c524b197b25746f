import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SMS_LIMIT, SUBJECT_LIMIT } from '../../domain/notify/messages.js';
import type { Notifier, OutboundMessage } from '../../domain/ports.js';

/** SNS email subjects: ASCII, no line breaks, under 100 characters, starting with a letter or digit. */
const snsSubject = (subject: string) =>
  subject
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/^[^A-Za-z0-9[(]+/, '')
    .slice(0, SUBJECT_LIMIT) || 'Firebreak incident';

/**
 * Publishes to one SNS topic. Subscriptions filter on the message attributes (severity, audience,
 * kind, incidentId), so routing lives in the topic's filter policies, not here.
 * `MessageStructure: json` gives each protocol its own body: email the full text, SMS the short
 * form, and machine subscribers (HTTPS, SQS, Lambda, email-json) the message as JSON.
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(m: OutboundMessage): Promise<void> {
    const structured = JSON.stringify({
      kind: m.kind,
      incidentId: m.incidentId,
      severity: m.severity,
      audience: m.audience,
      subject: m.subject,
      body: m.body,
      sms: m.sms,
    });
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: snsSubject(m.subject),
        MessageStructure: 'json',
        Message: JSON.stringify({
          default: m.body,
          email: m.body,
          'email-json': structured,
          sms: m.sms.slice(0, SMS_LIMIT),
          https: structured,
          http: structured,
          sqs: structured,
          lambda: structured,
        }),
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: m.severity },
          audience: { DataType: 'String', StringValue: m.audience },
          kind: { DataType: 'String', StringValue: m.kind },
          incidentId: { DataType: 'String', StringValue: m.incidentId },
          // Pages are time-critical: transactional SMS are delivered ahead of promotional traffic.
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        },
      }),
    );
  }
}
