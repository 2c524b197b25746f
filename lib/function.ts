/**
 * One Firebreak Lambda: the project's bundling, Node 22 on arm64, active tracing, Powertools
 * settings, and a log group with bounded retention that only this function may write to.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLING, PROJECT_ROOT } from './bundling.js';
import { acknowledgeWildcardResource } from './nag.js';

export interface FirebreakFunctionProps {
  /** Entry file relative to the project root, exporting `handler`. */
  entry: string;
  /** Shown in logs, traces and metrics (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  logRetention: RetentionDays;
  /** Every variable the function gets: set here, not added later, so the size check sees them all. */
  environment?: Record<string, string>;
}

/** Lambda's limit on the total size of a function's environment variables. */
export const ENVIRONMENT_LIMIT_BYTES = 4096;
/** What a deploy-time value (an ARN, a URL) is counted as before it is known. */
const TOKEN_ESTIMATE_BYTES = 160;

/** The environment's size as Lambda counts it, deploy-time values estimated. */
export function environmentBytes(env: Record<string, string>): number {
  return Object.entries(env).reduce(
    (n, [k, v]) =>
      n + Buffer.byteLength(k) + (Token.isUnresolved(v) ? TOKEN_ESTIMATE_BYTES : Buffer.byteLength(v)),
    0,
  );
}

export class FirebreakFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: FirebreakFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are operational, not the incident record (that is the table): they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of its own instead of AWSLambdaBasicExecutionRole: it may write to its own log group
    // only, and every other permission is granted by name in the constructs that own the resources.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Firebreak ${props.serviceName}`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'OwnLogGroupOnly',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const environment = {
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: 'Firebreak',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      ...props.environment,
    };
    // The configuration and catalog travel as JSON in the environment; fail synth, not the deploy.
    const bytes = environmentBytes(environment);
    if (bytes > ENVIRONMENT_LIMIT_BYTES) {
      throw new Error(
        `${props.serviceName}: its environment is about ${bytes} bytes and Lambda allows ${ENVIRONMENT_LIMIT_BYTES} in all: shorten the catalog, resources or response policy in the deploy configuration`,
      );
    }
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      description: props.description,
      timeout: Duration.seconds(props.timeoutSeconds),
      memorySize: props.memoryMb,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      bundling: LAMBDA_BUNDLING,
      environment,
    });
    // Lambda writes through the role above; make sure the group exists before the function logs.
    this.fn.node.addDependency(this.logGroup);

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime Firebreak targets and tests against (bundles target node22); moving to a newer runtime is a deliberate upgrade, not a drift.',
    });
    acknowledgeWildcardResource(
      this.role,
      '*',
      'Only actions with no resource-level permissions sit on "*": X-Ray trace upload for active tracing, and where granted the read-only telemetry and ECS task-definition reads listed with their reasons in lib/permissions.ts (UNSCOPABLE). test/lib fails on any other action on "*".',
    );
  }
}
