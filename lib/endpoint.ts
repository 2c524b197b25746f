/**
 * The one public HTTPS endpoint: webhooks from PagerDuty, Alertmanager, Grafana and SNS under
 * /webhooks/, approval links under /approvals/. An HTTP API rather than a Function URL so both
 * share a host, requests are throttled before they reach a Lambda, and every request is logged.
 *
 * Routes have no IAM or JWT authorizer: alerting tools cannot sign AWS requests. Each handler
 * verifies what its caller can prove instead — webhook signatures against Secrets Manager, signed
 * and expiring approval links — and rejects everything else.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DeployConfig } from './config.js';

export class Endpoint extends Construct {
  readonly api: HttpApi;
  /** `https://<id>.execute-api.<region>.amazonaws.com` — routes sit at the root ($default stage). */
  readonly url: string;

  constructor(scope: Construct, id: string, config: DeployConfig) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Firebreak webhooks and approval links',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.retention.logDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.api.rateLimit, burstLimit: config.api.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.url = this.api.apiEndpoint;
  }

  /** Acknowledges cdk-nag's authorizer rule on a public route, with the handler's own check as reason. */
  static publicRoute(route: Construct, reason: string): void {
    Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
  }
}
