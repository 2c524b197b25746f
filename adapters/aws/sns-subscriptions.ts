/**
 * Confirming an SNS HTTP(S) subscription. In AWS it is the ConfirmSubscription API with the token
 * from the handshake — never a fetch of the SubscribeURL the body names, which a forger could point
 * anywhere. Locally there is no SNS to talk to: the URL is shown for the operator to visit.
 */
import { ConfirmSubscriptionCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SnsHandshake } from '../../domain/alerts/delivery.js';

export type ConfirmSubscription = (handshake: SnsHandshake) => Promise<string>;

export function snsConfirmer(sns: SNSClient): ConfirmSubscription {
  return async (h) => {
    if (h.type === 'UnsubscribeConfirmation') return `unsubscribed from ${h.topicArn}; nothing to confirm`;
    if (!h.token) return `no token in the ${h.type} for ${h.topicArn}; nothing confirmed`;
    const out = await sns.send(
      new ConfirmSubscriptionCommand({
        TopicArn: h.topicArn,
        Token: h.token,
        AuthenticateOnUnsubscribe: 'true',
      }),
    );
    return `subscription to ${h.topicArn} confirmed (${out.SubscriptionArn ?? 'pending'})`;
  };
}

export function localConfirmer(say: (line: string) => void): ConfirmSubscription {
  return async (h) => {
    const how = h.subscribeUrl ? `visit ${h.subscribeUrl} to confirm it` : 'nothing to confirm';
    say(`SNS ${h.type} for ${h.topicArn}: ${how}`);
    return `SNS ${h.type} for ${h.topicArn} received; ${how}`;
  };
}
