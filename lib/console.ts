/**
 * The web console in AWS: one function (lambdas/console-api) behind the stack's HTTP API at
 * /console, every route behind a JWT authorizer. The token comes from the OIDC issuer the
 * configuration names, or from a Cognito user pool this construct creates when it names none.
 *
 * The function may read the table (incidents, timelines, the status index, memory) and answer
 * approvals: the conditional writes decideApproval makes (consume the one-time token, record the
 * decision on the incident and its timeline), the link key it derives its form key from, and
 * SendTaskSuccess/SendTaskFailure on this state machine. Closing an incident by hand is one more
 * conditional update and a timeline entry, and DescribeExecution on this state machine's executions
 * (a close is refused while the incident's execution runs). A review re-indexes the incident's
 * memory in one BatchWriteItem, allowed only on memory partitions (`MEM#…`): it cannot delete or
 * batch-write incident items.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpMethod, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../runtime/env.js';
import type { DeployConfig } from './config.js';
import type { Endpoint } from './endpoint.js';
import { FirebreakFunction } from './function.js';
import { acknowledgeKmsGrant, acknowledgeWildcardResource } from './nag.js';
import { grantDescribeOwnExecutions } from './permissions.js';
import type { Storage } from './storage.js';

/** The partition keys of the memory index (domain/memory/records.ts `memoryKeys`). */
export const MEMORY_PARTITIONS = 'MEM#*';

export interface ConsoleApiProps {
  readonly config: DeployConfig;
  readonly storage: Storage;
  readonly endpoint: Endpoint;
  /** The approval-link signing key; the console derives its form-signing key from it. */
  readonly linkKey: ISecret;
  readonly stateMachine: StateMachine;
  /** Entry file of the console function, relative to the project root. */
  readonly entry: string;
  /**
   * The OIDC issuer whose tokens the API accepts (https URL) and the client ids they must be issued
   * to. Default: a Cognito user pool created here, with one app client.
   */
  readonly oidc?: { readonly issuer: string; readonly audience: string[] };
  /** Default: 15 s, enough for a page's few table reads or one decision. */
  readonly timeoutSeconds?: number;
  /** Default: 256 MB. */
  readonly memoryMb?: number;
}

export class ConsoleApi extends Construct {
  readonly fn: LambdaFn;
  /** Present when the stack created the user pool (no `oidc` given). */
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  /** `https://…/console/` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleApiProps) {
    super(scope, id);
    const { config, storage, endpoint } = props;
    const { fn } = new FirebreakFunction(this, 'Console', {
      entry: props.entry,
      serviceName: 'firebreak-console-api',
      description: 'Firebreak web console: incident pages, and approvals answered by signed-in people',
      timeoutSeconds: props.timeoutSeconds ?? 15,
      memoryMb: props.memoryMb ?? 256,
      logRetention: config.retention.logDays as RetentionDays,
      // What runtime/console-wiring.ts reads.
      environment: {
        [ENV.tableName]: storage.table.tableName,
        [ENV.approvalSecretArn]: props.linkKey.secretArn,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [ENV.config]: JSON.stringify(config.runtime),
      },
    });
    this.fn = fn;
    storage.table.grant(
      fn,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    );
    // A review re-indexes the incident in memory (DynamoMemory.remember: puts, and deletes of its
    // own stale entries, in one batch). The condition keeps batch writes to memory partitions.
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'MemoryIndexOnly',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [storage.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [MEMORY_PARTITIONS] } },
      }),
    );
    storage.key.grantEncryptDecrypt(fn);
    if (fn.role) {
      acknowledgeWildcardResource(
        fn.role,
        `${storage.table.tableArn}/index/*`,
        "Lists incidents through the incident table's own status index; the wildcard stays inside this one table.",
      );
      acknowledgeKmsGrant(fn.role);
    }
    props.linkKey.grantRead(fn);
    props.stateMachine.grantTaskResponse(fn);
    grantDescribeOwnExecutions(
      fn,
      props.stateMachine,
      'DescribeExecution only, to refuse a close while the run goes on.',
    );

    const { authorizer, pool, client } = this.authorizer(props);
    this.userPool = pool;
    this.userPoolClient = client;
    const integration = new HttpLambdaIntegration('Console', fn);
    for (const path of ['/console', '/console/{proxy+}'])
      endpoint.api.addRoutes({ path, methods: [HttpMethod.GET, HttpMethod.POST], integration, authorizer });
    this.url = `${endpoint.url}/console/`;
  }

  private authorizer(props: ConsoleApiProps): {
    authorizer: IHttpRouteAuthorizer;
    pool?: UserPool;
    client?: UserPoolClient;
  } {
    if (props.oidc)
      return {
        authorizer: new HttpJwtAuthorizer('ConsoleOidc', props.oidc.issuer, {
          jwtAudience: props.oidc.audience,
        }),
      };
    const pool = new UserPool(this, 'Users', {
      userPoolName: `${props.config.stackName}-console`,
      // People are invited by an administrator; nobody signs themselves up to approve production changes.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const id of ['AwsSolutions-COG3', 'AwsSolutions-COG8'])
      Validations.of(pool).acknowledge({
        id,
        reason:
          'Threat protection needs the Plus feature plan (billed per user); MFA is required and self sign-up is off. Choose the plan and enforce threat protection when the organisation has it.',
      });
    const client = pool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    return {
      authorizer: new HttpUserPoolAuthorizer('ConsoleUsers', pool, { userPoolClients: [client] }),
      pool,
      client,
    };
  }
}
