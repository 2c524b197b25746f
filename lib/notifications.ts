/**
 * Who hears what. One status-update topic carries every message with `severity` and `audience`
 * attributes (adapters/aws/sns-notifier.ts); each email or SMS subscription filters on both,
 * derived from the response policy, so executives get SEV1 and nobody is paged for SEV4.
 *
 * CloudWatch alarm actions cannot set message attributes, so the stack's own health alarms go to a
 * second, unfiltered ops topic that on-call subscribes to.
 */
import { createHash } from 'node:crypto';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSubscription, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AUDIENCES, type Audience, type Severity } from '../domain/model.js';
import { type DeployConfig, subscriberSeverities } from './config.js';
import { acknowledgeKmsGrant } from './nag.js';

/** One endpoint's rules: which severities it hears for each audience it belongs to. */
export interface Route {
  protocol: 'email' | 'sms';
  endpoint: string;
  rules: Array<{ audience: Audience; severities: Severity[] }>;
}

/**
 * Groups subscribers by endpoint: a person may be both on-call and team lead, and SNS allows one
 * subscription per endpoint and topic.
 */
export function routes(config: DeployConfig): Route[] {
  const byEndpoint = new Map<string, Route>();
  for (const audience of AUDIENCES) {
    for (const s of config.subscribers[audience]) {
      const protocol = s.email ? 'email' : 'sms';
      const endpoint = (s.email ?? s.sms) as string;
      const key = `${protocol}:${protocol === 'email' ? endpoint.toLowerCase() : endpoint}`;
      const route = byEndpoint.get(key) ?? { protocol, endpoint, rules: [] };
      route.rules.push({ audience, severities: subscriberSeverities(config.runtime, audience, s) });
      byEndpoint.set(key, route);
    }
  }
  return [...byEndpoint.values()];
}

/** The SNS filter policy for a route: audience and severity together, one clause per audience. */
export function filterPolicy(route: Route): Record<string, unknown> {
  const clauses = route.rules.map((r) => ({ audience: [r.audience], severity: r.severities }));
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

/** Stable construct id from the endpoint, so reordering the config does not resubscribe anyone. */
const idFor = (prefix: string, route: Route) =>
  `${prefix}${route.protocol === 'email' ? 'Email' : 'Sms'}${createHash('sha256').update(route.endpoint.toLowerCase()).digest('hex').slice(0, 10)}`;

export class Notifications extends Construct {
  /** Status updates, approvals, escalations: filtered per subscriber. */
  readonly topic: Topic;
  /** The stack's own alarms (failed executions, dead letters): every on-call subscriber. */
  readonly opsTopic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, config: DeployConfig) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Firebreak notifications (SNS topics)',
      enableKeyRotation: true,
      // It encrypts messages in transit through the topics only, nothing kept: it goes with them.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch publishes alarm notifications to the encrypted ops topic with this key.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // A key policy's resource is always the key itself.
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Updates', {
      displayName: 'Firebreak',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.opsTopic = new Topic(this, 'Ops', {
      displayName: 'Firebreak ops',
      masterKey: this.key,
      enforceSSL: true,
    });

    for (const route of routes(config)) {
      new CfnSubscription(this, idFor('', route), {
        topicArn: this.topic.topicArn,
        protocol: route.protocol,
        endpoint: route.endpoint,
        filterPolicyScope: 'MessageAttributes',
        filterPolicy: filterPolicy(route),
      });
      if (route.rules.some((r) => r.audience === 'oncall')) {
        new CfnSubscription(this, idFor('Ops', route), {
          topicArn: this.opsTopic.topicArn,
          protocol: route.protocol,
          endpoint: route.endpoint,
        });
      }
    }
  }

  /** Publish status updates (and use the topic's key to do so). */
  grantPublish(fn: IFunction & { role?: IRole }): void {
    this.topic.grantPublish(fn);
    if (fn.role) acknowledgeKmsGrant(fn.role);
  }
}
