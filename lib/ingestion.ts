/**
 * Where alerts come in. One ingest function (lambdas/ingest/handler.ts) serves CloudWatch alarm
 * state changes from EventBridge and the webhooks of PagerDuty, Alertmanager, Grafana and SNS; it
 * deduplicates in the table and starts one execution per incident. A delivery it could not handle
 * ends in the dead-letter queue, from EventBridge and from Lambda's own async retries alike.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../runtime/env.js';
import { type DeployConfig, INGEST_TIMEOUT_SECONDS } from './config.js';
import { Endpoint } from './endpoint.js';
import { FirebreakFunction } from './function.js';
import { acknowledgeWildcardResource } from './nag.js';
import type { Notifications } from './notifications.js';
import { grantDescribeOwnExecutions } from './permissions.js';
import type { Storage } from './storage.js';

/** The webhook routes, one per source: `/webhooks/<source>`. */
export const WEBHOOK_SOURCES = ['pagerduty', 'alertmanager', 'grafana', 'sns'] as const;

/** Prefix of this stack's own alarm names, which ingestion must not respond to. */
export const opsAlarmPrefix = (stackName: string) => `${stackName}-ops-`;

export interface IngestionProps {
  config: DeployConfig;
  storage: Storage;
  /** The status-update topic: the all-clear when a source resolves an incident after hand-off. */
  notifications: Notifications;
  endpoint: Endpoint;
  stateMachine: StateMachine;
  /** Entry file of the ingest function, relative to the project root. */
  entry: string;
}

export class Ingestion extends Construct {
  readonly fn: LambdaFn;
  readonly deadLetters: Queue;
  readonly webhookSecrets: Secret;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    const { config, storage, notifications, endpoint, stateMachine } = props;

    // {pagerduty, alertmanager, grafana, sns} (runtime/webhook-secrets.ts); a source without a secret
    // is refused. PagerDuty issues its signing secret when its webhook is created, so the operator
    // adds it (and tokens for Grafana and SNS, docs/deploy.md); Alertmanager's bearer token is
    // generated here. Absent keys, never empty strings: an empty secret would fail validation.
    this.webhookSecrets = new Secret(this, 'WebhookSecrets', {
      description:
        'Firebreak webhook secrets: JSON {"pagerduty","alertmanager","grafana","sns"} (docs/deploy.md)',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'alertmanager',
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(this.webhookSecrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Webhook signing secrets are issued or configured in PagerDuty, Grafana and Alertmanager; a rotation Lambda cannot change them there, so they are rotated by the operator (docs/deploy.md).',
    });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter destination of the ingest path; a dead-letter queue has none of its own.',
    });

    const { fn } = new FirebreakFunction(this, 'Ingest', {
      entry: props.entry,
      serviceName: 'firebreak-ingest',
      description: 'Firebreak ingestion: normalize, deduplicate, start one execution per incident',
      timeoutSeconds: INGEST_TIMEOUT_SECONDS,
      memoryMb: 512,
      logRetention: config.retention.logDays as RetentionDays,
      // What runtime/ingest-wiring.ts reads. People hear from the flow, except when a source resolves
      // an incident no execution watches any more: ingest sends that all-clear itself.
      environment: {
        [ENV.tableName]: storage.table.tableName,
        [ENV.topicArn]: notifications.topic.topicArn,
        [ENV.stateMachineArn]: stateMachine.stateMachineArn,
        [ENV.webhookSecretsArn]: this.webhookSecrets.secretArn,
        [ENV.ingestOptions]: JSON.stringify(config.ingest),
        [ENV.catalog]: JSON.stringify(config.catalog),
        [ENV.redaction]: JSON.stringify(config.runtime.redaction),
      },
    });
    this.fn = fn;
    storage.grantReadWrite(fn);
    notifications.grantPublish(fn);
    // SNS HTTPS subscriptions are confirmed with the API, not by fetching a URL from the body
    // (adapters/aws/sns-subscriptions.ts): on the accepted topics, or this account's when none are listed.
    const topics = config.ingest.snsTopicArns.length
      ? config.ingest.snsTopicArns
      : [Stack.of(this).formatArn({ service: 'sns', resource: '*' })];
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ConfirmAlarmTopicSubscriptions',
        actions: ['sns:ConfirmSubscription'],
        resources: topics,
      }),
    );
    for (const topic of topics.filter((t) => t.includes('*'))) {
      acknowledgeWildcardResource(
        fn.role ?? fn,
        topic,
        'ConfirmSubscription only, on topics of this account and region: no ingest.snsTopicArns are configured to narrow it (docs/deploy.md).',
      );
    }
    stateMachine.grantStartExecution(fn);
    grantDescribeOwnExecutions(fn, stateMachine, 'Whether a run still goes on decides join versus restart.');
    this.webhookSecrets.grantRead(fn);
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetters),
    });

    const stackName = Stack.of(this).stackName;
    this.rule = new Rule(this, 'AlarmStateChanges', {
      description:
        'CloudWatch alarms entering ALARM (start or join) or OK (resolve), except the Firebreak ops alarms',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change', 'CloudWatch Alarm Contributor State Change'],
        detail: {
          state: { value: ['ALARM', 'OK'] },
          // Firebreak's own health alarms page on-call through the ops topic; responding to them with
          // an incident would loop on the pipeline's own failures.
          alarmName: [{ 'anything-but': { prefix: opsAlarmPrefix(stackName) } }],
        },
      },
      targets: [
        new LambdaFunction(fn, {
          deadLetterQueue: this.deadLetters,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    const integration = new HttpLambdaIntegration('Webhooks', fn);
    for (const source of WEBHOOK_SOURCES) {
      for (const route of endpoint.api.addRoutes({
        path: `/webhooks/${source}`,
        methods: [HttpMethod.POST],
        integration,
      })) {
        Endpoint.publicRoute(
          route,
          source === 'sns'
            ? 'SNS cannot sign its HTTPS deliveries with AWS credentials; the handler requires the sns token (Basic credentials in the subscription URL) and accepts only the configured topics (ingest.snsTopicArns) when listed.'
            : `${source} cannot sign an AWS request; the handler verifies the webhook signature or token from Secrets Manager before parsing the body.`,
        );
      }
    }
  }
}
