/**
 * Everything Firebreak needs in one AWS account, in one stack: storage, notifications, the flow,
 * ingestion, approval, and alarms on itself.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApprovalEndpoint, ApprovalLinks } from './approval.js';
import { APPROVAL_ENTRY, CONSOLE_ENTRY, INGEST_ENTRY } from './bundling.js';
import type { DeployConfig } from './config.js';
import { ConsoleApi } from './console.js';
import { Endpoint } from './endpoint.js';
import { Ingestion, opsAlarmPrefix, WEBHOOK_SOURCES } from './ingestion.js';
import { ModelAccess } from './model-access.js';
import { Notifications } from './notifications.js';
import { Operability } from './operability.js';
import { Pipeline } from './pipeline.js';
import { Storage } from './storage.js';

export interface FirebreakStackProps extends StackProps {
  config: DeployConfig;
  /** Entry files of the non-phase functions, relative to the project root. */
  entries?: { ingest?: string; approval?: string; console?: string };
}

export class FirebreakStack extends Stack {
  readonly storage: Storage;
  readonly notifications: Notifications;
  readonly pipeline: Pipeline;
  readonly ingestion: Ingestion;
  readonly approval: ApprovalEndpoint;
  readonly endpoint: Endpoint;
  /** The web console, when the configuration has a `console` section. */
  readonly console?: ConsoleApi;

  constructor(scope: Construct, id: string, props: FirebreakStackProps) {
    super(scope, id, {
      description:
        'Firebreak: incident response on Step Functions (triage, investigation, approved mitigation, updates, postmortem)',
      ...props,
    });
    const { config } = props;
    this.storage = new Storage(this, 'Storage', config);
    this.notifications = new Notifications(this, 'Notifications', config);
    this.endpoint = new Endpoint(this, 'Endpoint', config);
    const links = new ApprovalLinks(this, 'ApprovalLinks', this.endpoint);
    const modelAccess = new ModelAccess(this, 'Model', config);
    this.pipeline = new Pipeline(this, 'Pipeline', {
      config,
      storage: this.storage,
      notifications: this.notifications,
      modelAccess,
      approvalLinks: { key: links.key, baseUrl: links.baseUrl },
    });
    const shared = {
      config,
      storage: this.storage,
      notifications: this.notifications,
      endpoint: this.endpoint,
    };
    this.ingestion = new Ingestion(this, 'Ingestion', {
      ...shared,
      stateMachine: this.pipeline.stateMachine,
      entry: props.entries?.ingest ?? INGEST_ENTRY,
    });
    this.approval = new ApprovalEndpoint(this, 'Approval', {
      ...shared,
      links,
      stateMachine: this.pipeline.stateMachine,
      entry: props.entries?.approval ?? APPROVAL_ENTRY,
    });
    if (config.console) {
      this.console = new ConsoleApi(this, 'Console', {
        config,
        storage: this.storage,
        endpoint: this.endpoint,
        linkKey: links.key,
        stateMachine: this.pipeline.stateMachine,
        entry: props.entries?.console ?? CONSOLE_ENTRY,
        oidc:
          config.console.issuer && config.console.audience
            ? { issuer: config.console.issuer, audience: config.console.audience }
            : undefined,
      });
      new CfnOutput(this, 'ConsoleUrl', {
        value: this.console.url,
        description: 'The web console (send a signed-in user ID token as Authorization: Bearer)',
      });
      if (this.console.userPool && this.console.userPoolClient) {
        new CfnOutput(this, 'ConsoleUserPoolId', {
          value: this.console.userPool.userPoolId,
          description: 'Invite console users here (aws cognito-idp admin-create-user)',
        });
        new CfnOutput(this, 'ConsoleClientId', { value: this.console.userPoolClient.userPoolClientId });
      }
    }
    new Operability(this, 'Operability', {
      alarmPrefix: opsAlarmPrefix(this.stackName),
      stateMachine: this.pipeline.stateMachine,
      deadLetters: this.ingestion.deadLetters,
      ingest: this.ingestion.fn,
      opsTopic: this.notifications.opsTopic,
    });

    const url = this.endpoint.url;
    for (const source of WEBHOOK_SOURCES) {
      new CfnOutput(this, `Webhook${source[0].toUpperCase()}${source.slice(1)}Url`, {
        value: `${url}/webhooks/${source}`,
        description: `POST ${source} webhooks here`,
      });
    }
    new CfnOutput(this, 'ApprovalUrl', {
      value: `${url}/approvals/`,
      description: 'Where the signed approval links in approval requests point',
    });
    new CfnOutput(this, 'StateMachineArn', {
      value: this.pipeline.stateMachine.stateMachineArn,
      description: 'firebreak start --state-machine-arn <this>',
    });
    new CfnOutput(this, 'TopicArn', {
      value: this.notifications.topic.topicArn,
      description: 'Status updates',
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.notifications.opsTopic.topicArn,
      description: 'Firebreak health alarms',
    });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName, description: 'Incidents' });
    new CfnOutput(this, 'WebhookSecretsArn', {
      value: this.ingestion.webhookSecrets.secretArn,
      description: 'Put the PagerDuty and Grafana signing secrets here',
    });
    if (modelAccess.anthropicKey) {
      new CfnOutput(this, 'AnthropicSecretArn', {
        value: modelAccess.anthropicKey.secretArn,
        description: 'Put the Anthropic API key here',
      });
    }
  }
}
