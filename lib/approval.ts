/**
 * Approving a mitigation from a link. RequestApproval signs each link with the key kept here; the
 * approval function (lambdas/approval-api/handler.ts) checks the signature, expiry and single use,
 * then answers the waiting task with SendTaskSuccess or SendTaskFailure.
 */
import { Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../runtime/env.js';
import type { DeployConfig } from './config.js';
import { Endpoint } from './endpoint.js';
import { FirebreakFunction } from './function.js';
import type { Storage } from './storage.js';

/** The key approval links are signed with; needed by RequestApproval before the endpoint exists. */
export class ApprovalLinks extends Construct {
  readonly key: Secret;
  /** APPROVAL_BASE_URL: the endpoint root; links are `<base>/approvals/<incident>?…` (approval-links.ts). */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, endpoint: Endpoint) {
    super(scope, id);
    this.key = new Secret(this, 'SigningKey', {
      description: 'Firebreak: HMAC key that signs approval links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.key).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would invalidate approval links already sent for open incidents; rotate it by hand between incidents (docs/deploy.md).',
    });
    this.baseUrl = endpoint.url;
  }
}

export interface ApprovalEndpointProps {
  config: DeployConfig;
  storage: Storage;
  endpoint: Endpoint;
  links: ApprovalLinks;
  stateMachine: StateMachine;
  /** Entry file of the approval function, relative to the project root. */
  entry: string;
}

export class ApprovalEndpoint extends Construct {
  readonly fn: LambdaFn;

  constructor(scope: Construct, id: string, props: ApprovalEndpointProps) {
    super(scope, id);
    const { config, storage, endpoint, links, stateMachine } = props;
    const { fn } = new FirebreakFunction(this, 'Approve', {
      entry: props.entry,
      serviceName: 'firebreak-approval-api',
      description: 'Firebreak approval links: verify, record the decision, answer the waiting task',
      timeoutSeconds: 15,
      memoryMb: 256,
      logRetention: config.retention.logDays as RetentionDays,
      // What lambdas/approval-api/handler.ts reads: the table and the link key. It answers tasks
      // by their token, so it needs no topic and no configuration.
      environment: {
        [ENV.tableName]: storage.table.tableName,
        [ENV.approvalSecretArn]: links.key.secretArn,
      },
    });
    this.fn = fn;
    storage.grantReadWrite(fn);
    links.key.grantRead(fn);
    // SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat on this state machine only.
    stateMachine.grantTaskResponse(fn);

    const integration = new HttpLambdaIntegration('Approvals', fn);
    for (const route of endpoint.api.addRoutes({
      path: '/approvals/{proxy+}',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration,
    })) {
      Endpoint.publicRoute(
        route,
        'Approvers open the link from an email or SMS without AWS credentials; the handler accepts only a link whose HMAC signature, expiry and single use it verifies.',
      );
    }
  }
}
