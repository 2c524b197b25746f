import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier, OutboundMessage } from '../ports.js';

/**
 * Publishes to one SNS topic. Subscriptions filter on the message attributes (severity, audience,
 * kind), so routing lives in the topic's filter policies, not here. `MessageStructure: json` gives
 * email subscribers the full body and SMS subscribers the short form.
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(m: OutboundMessage): Promise<void> {
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: m.subject.replace(/[^\x20-\x7E]/g, '').slice(0, 99),
        MessageStructure: 'json',
        Message: JSON.stringify({ default: m.body, email: `${m.subject}\n\n${m.body}`, sms: m.sms }),
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: m.severity },
          audience: { DataType: 'String', StringValue: m.audience },
          kind: { DataType: 'String', StringValue: m.kind },
          incidentId: { DataType: 'String', StringValue: m.incidentId },
        },
      }),
    );
  }
}
