/**
 * IAM statements that are not a plain `grant*` on a resource this stack owns: the read-only
 * telemetry an investigator needs, and the mitigation actions configuration enables.
 *
 * `UNSCOPABLE` is the complete list of actions this stack allows on `"Resource": "*"`, each with the
 * reason no narrower resource works. The stack test fails on any `*` resource outside it.
 *
 * Over 300 lines on purpose: every grant beyond a plain `grant*` is in this one file, so a security
 * review reads one list (and the stack test checks the `*` ones against it).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { AwsCatalog } from '../adapters/aws/evidence/catalog.js';
import type { ResourceEntry } from '../domain/actions/resources.js';
import type { FirebreakConfig } from '../domain/config.js';
import { acknowledgeWildcardResource } from './nag.js';

export const UNSCOPABLE: Record<string, string> = {
  // Evidence (read-only).
  'cloudwatch:GetMetricData': 'no resource-level permissions: metrics are not IAM resources',
  // The incident's own alarm is named by the alert at run time, and history without a name reads
  // the account's alarm history; only a fixed list of alarm ARNs could be scoped.
  'cloudwatch:DescribeAlarms': 'reads the alarm the alert names, known only at run time',
  'cloudwatch:DescribeAlarmHistory':
    'history of alarms named at run time, or of all alarms when none is named',
  'logs:GetQueryResults': 'no resource-level permissions: a query id is not an IAM resource',
  'logs:StopQuery': 'no resource-level permissions: a query id is not an IAM resource',
  'cloudtrail:LookupEvents': 'no resource-level permissions: management-event history of the account',
  // X-Ray trace upload (Lambda active tracing, Step Functions tracing): no resource type.
  'xray:PutTraceSegments': 'no resource-level permissions',
  'xray:PutTelemetryRecords': 'no resource-level permissions',
  'xray:GetSamplingRules': 'no resource-level permissions',
  'xray:GetSamplingTargets': 'no resource-level permissions',
  // Step Functions vends execution logs through CloudWatch Logs delivery, whose APIs take no
  // resource ARN (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
  'logs:CreateLogDelivery': 'log delivery APIs have no resource-level permissions',
  'logs:GetLogDelivery': 'log delivery APIs have no resource-level permissions',
  'logs:UpdateLogDelivery': 'log delivery APIs have no resource-level permissions',
  'logs:DeleteLogDelivery': 'log delivery APIs have no resource-level permissions',
  'logs:ListLogDeliveries': 'log delivery APIs have no resource-level permissions',
  'logs:PutResourcePolicy': 'log delivery sets the log group resource policy; the API takes no ARN',
  'logs:DescribeResourcePolicies': 'log delivery APIs have no resource-level permissions',
  'logs:DescribeLogGroups':
    'log delivery and Logs Insights (which of the catalog log groups exist) list log groups; the list call has no resource-level permissions',
  // ECS rollback finds the previous task definition revision; task-definition reads take no resource.
  'ecs:DescribeTaskDefinition': 'no resource-level permissions',
  'ecs:ListTaskDefinitions': 'no resource-level permissions',
  // Lambda scale checks the account keeps 100 unreserved executions; the call has no resource type.
  'lambda:GetAccountSettings': 'no resource-level permissions: account-wide Lambda limits',
};

/** Builds an ARN in this stack's partition and account; `region` defaults to the stack's. */
export type ArnFn = (service: string, resource: string, region?: string) => string;

const logGroupArns = (arn: ArnFn, name: string) =>
  name.startsWith('arn:') ? [name] : [arn('logs', `log-group:${name}`), arn('logs', `log-group:${name}:*`)];

/**
 * Read-only telemetry for the Evidence port (adapters/aws/evidence): metrics, alarms, CloudTrail,
 * and Logs Insights over exactly the log groups the service catalog lists.
 */
export function evidenceStatements(catalog: AwsCatalog, arn: ArnFn): PolicyStatement[] {
  const statements = [
    new PolicyStatement({
      sid: 'EvidenceReadOnly',
      actions: [
        'cloudwatch:GetMetricData',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:DescribeAlarmHistory',
        'logs:GetQueryResults',
        'logs:StopQuery',
        'logs:DescribeLogGroups',
        'cloudtrail:LookupEvents',
      ],
      // Unscopable: each action's reason is in UNSCOPABLE above.
      resources: ['*'],
    }),
  ];
  const groups = [...new Set(catalog.services.flatMap((s) => s.logGroups))];
  // Logs Insights queries only the catalog's log groups; without any, nothing may be queried.
  if (groups.length) {
    statements.push(
      new PolicyStatement({
        sid: 'EvidenceLogsInsights',
        actions: ['logs:StartQuery'],
        resources: groups.flatMap((g) => logGroupArns(arn, g)),
      }),
    );
  }
  return statements;
}

/** The tag a resource must carry for Firebreak to change it. */
export const MANAGED_TAG = 'firebreak:managed';
const managed = { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG}`]: 'true' } };

const TAGGED =
  'Names the resources listed in the resource map, and also requires aws:ResourceTag/firebreak:managed = "true": Firebreak changes only what the operator listed and tagged.';

/**
 * Mitigation statements without the firebreak:managed tag condition, and why: each reads only, and
 * acts on resources that cannot carry tags (so `aws:ResourceTag` would deny every call) or on none.
 * Checked against the Service Authorization Reference for Lambda, ECS and AppConfig.
 */
export const UNTAGGED_READS: Record<string, string> = {
  LambdaConcurrencyChecks:
    'lambda:GetAccountSettings has no resource type; cloudwatch:GetMetricData has none either',
  EcsServiceHistory: 'service revisions cannot be tagged; scoped to the named services instead',
  EcsTaskDefinitionReads: 'task-definition reads accept no resource',
  AppConfigHostedVersions:
    'hosted configuration versions cannot be tagged; scoped to the configured profile instead',
};

/** Why each mitigation statement's wildcard resource (a version, a hosted version, a secret suffix) is acceptable. */
export const WILDCARD_REASONS: Record<string, string> = {
  LambdaAliasRollback: `${TAGGED} "<function>:*" covers the function's aliases and versions.`,
  LambdaConcurrency: `${TAGGED} "<function>:*" covers the function's aliases and versions.`,
  EcsServices: TAGGED,
  AppConfigFlags: `${TAGGED} "<application>/*" covers its environment and configuration profile.`,
  AppConfigHostedVersions:
    'Reads the hosted versions of exactly the configured feature-flag profile; hosted configuration versions cannot carry tags, so a tag condition would deny every read.',
  EcsServiceHistory:
    'Reads the deployment history (service revisions) of exactly the services in the resource map; service revisions cannot carry tags.',
  WafIpSets: TAGGED,
  RotateSecrets: `${TAGGED} Secrets Manager appends a random 6-character suffix to secret ARNs ("-??????").`,
};

const lambdaArns = (arn: ArnFn, name: string) => {
  const fn = name.startsWith('arn:')
    ? name.split(':').slice(0, 7).join(':')
    : arn('lambda', `function:${name}`);
  return [fn, `${fn}:*`];
};
const clusterName = (cluster: string) => (cluster.startsWith('arn:') ? cluster.split('/').pop() : cluster);
const secretArn = (arn: ArnFn, id: string) =>
  id.startsWith('arn:') ? id : arn('secretsmanager', `secret:${id}-??????`);

/** Which entries of the resource map an action kind can act on. */
function entries(config: FirebreakConfig, pick: (e: ResourceEntry) => unknown): ResourceEntry[] {
  return Object.values(config.resources).filter(pick);
}

/** Read and write actions of each adapter (domain/actions/*): dry runs need only the reads. */
const ACTIONS = {
  lambdaAlias: { read: ['lambda:GetAlias', 'lambda:ListVersionsByFunction'], write: ['lambda:UpdateAlias'] },
  lambdaConcurrency: { read: ['lambda:GetFunctionConcurrency'], write: ['lambda:PutFunctionConcurrency'] },
  ecsService: { read: ['ecs:DescribeServices'], write: ['ecs:UpdateService'] },
  appConfig: {
    read: [
      'appconfig:GetConfigurationProfile',
      'appconfig:ListHostedConfigurationVersions',
      'appconfig:ListDeployments',
    ],
    write: ['appconfig:CreateHostedConfigurationVersion', 'appconfig:StartDeployment'],
  },
  wafIpSet: { read: ['wafv2:GetIPSet'], write: ['wafv2:UpdateIPSet'] },
  secret: { read: ['secretsmanager:DescribeSecret'], write: ['secretsmanager:RotateSecret'] },
} as const;

/**
 * Permissions for the enabled mitigation actions: on exactly the resources the resource map names,
 * and only while they carry the `firebreak:managed=true` tag, wherever the service evaluates
 * `aws:ResourceTag` for the call. `read` is what a dry run (PlanMitigation's preview) calls;
 * `write` adds the calls that change something (Mitigate).
 */
export function mitigationStatements(
  config: FirebreakConfig,
  arn: ArnFn,
  access: 'read' | 'write',
): PolicyStatement[] {
  const kinds = new Set(config.enabledActions);
  const pick = (a: { read: readonly string[]; write: readonly string[] }) =>
    access === 'write' ? [...a.read, ...a.write] : [...a.read];
  const out: PolicyStatement[] = [];
  const lambdas = entries(config, (e) => e.lambda).flatMap((e) =>
    lambdaArns(arn, e.lambda?.functionName ?? ''),
  );
  if (kinds.has('rollback') && lambdas.length) {
    out.push(
      new PolicyStatement({
        sid: 'LambdaAliasRollback',
        actions: pick(ACTIONS.lambdaAlias),
        resources: lambdas,
        conditions: managed,
      }),
    );
  }
  if (kinds.has('scale') && lambdas.length) {
    out.push(
      new PolicyStatement({
        sid: 'LambdaConcurrency',
        actions: pick(ACTIONS.lambdaConcurrency),
        resources: lambdas,
        conditions: managed,
      }),
      new PolicyStatement({
        sid: 'LambdaConcurrencyChecks',
        // The account's unreserved concurrency and the function's recent peak, both read-only.
        // Unscopable: each action's reason is in UNSCOPABLE above.
        actions: ['lambda:GetAccountSettings', 'cloudwatch:GetMetricData'],
        resources: ['*'],
      }),
    );
  }
  const services = entries(config, (e) => e.ecs).map((e) =>
    arn('ecs', `service/${clusterName(e.ecs?.cluster ?? '')}/${e.ecs?.service}`),
  );
  if (['rollback', 'scale', 'restart'].some((k) => kinds.has(k as never)) && services.length) {
    out.push(
      new PolicyStatement({
        sid: 'EcsServices',
        actions: pick(ACTIONS.ecsService),
        resources: services,
        conditions: managed,
      }),
    );
    if (kinds.has('rollback')) {
      const named = entries(config, (e) => e.ecs).map((e) => ({
        cluster: clusterName(e.ecs?.cluster ?? ''),
        service: e.ecs?.service,
      }));
      out.push(
        new PolicyStatement({
          sid: 'EcsServiceHistory',
          // Which task definition was deployed before the current one (rollback's default target).
          actions: ['ecs:ListServiceDeployments', 'ecs:DescribeServiceRevisions'],
          resources: named.flatMap((n) => [
            arn('ecs', `service/${n.cluster}/${n.service}`),
            arn('ecs', `service-revision/${n.cluster}/${n.service}/*`),
          ]),
        }),
      );
      out.push(
        new PolicyStatement({
          sid: 'EcsTaskDefinitionReads',
          actions: ['ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions'],
          // Unscopable: task-definition reads accept no resource (UNSCOPABLE).
          resources: ['*'],
        }),
      );
    }
  }
  const flags = entries(config, (e) => e.appConfig).map((e) => e.appConfig!);
  if (kinds.has('feature-flag') && flags.length) {
    out.push(
      new PolicyStatement({
        sid: 'AppConfigFlags',
        actions: pick(ACTIONS.appConfig),
        resources: [
          ...new Set(
            flags.flatMap((f) => [
              arn('appconfig', `application/${f.applicationId}`),
              arn('appconfig', `application/${f.applicationId}/*`),
            ]),
          ),
        ],
        conditions: managed,
      }),
    );
    // GetHostedConfigurationVersion acts on a hosted configuration version, which cannot be tagged
    // (Service Authorization Reference, AWS AppConfig: resource type hostedconfigurationversion):
    // under the tag condition it would always be denied. Scoped to the configured profile instead.
    out.push(
      new PolicyStatement({
        sid: 'AppConfigHostedVersions',
        actions: ['appconfig:GetHostedConfigurationVersion'],
        resources: [
          ...new Set(
            flags.map((f) =>
              arn(
                'appconfig',
                `application/${f.applicationId}/configurationprofile/${f.configurationProfileId}/hostedconfigurationversion/*`,
              ),
            ),
          ),
        ],
      }),
    );
    if (access === 'write') {
      out.push(
        new PolicyStatement({
          sid: 'AppConfigDeploymentStrategies',
          // AWS's predefined strategies (AppConfig.AllAtOnce) cannot carry a tag; the deployment is
          // still gated by the tagged application, environment and profile above.
          actions: ['appconfig:StartDeployment'],
          resources: [
            ...new Set(flags.map((f) => arn('appconfig', `deploymentstrategy/${f.deploymentStrategyId}`))),
          ],
        }),
      );
    }
  }
  const ipSets = entries(config, (e) => e.waf).map((e) => e.waf!);
  if (kinds.has('block-traffic') && ipSets.length) {
    out.push(
      new PolicyStatement({
        sid: 'WafIpSets',
        actions: pick(ACTIONS.wafIpSet),
        resources: ipSets.map((s) =>
          s.scope === 'CLOUDFRONT'
            ? arn('wafv2', `global/ipset/${s.name}/${s.id}`, 'us-east-1')
            : arn('wafv2', `regional/ipset/${s.name}/${s.id}`, s.region),
        ),
        conditions: managed,
      }),
    );
  }
  const secrets = entries(config, (e) => e.secret).map((e) => secretArn(arn, e.secret?.secretId ?? ''));
  if (kinds.has('rotate-credentials') && secrets.length) {
    out.push(
      new PolicyStatement({
        sid: 'RotateSecrets',
        actions: pick(ACTIONS.secret),
        resources: secrets,
        conditions: managed,
      }),
    );
  }
  return out;
}

/**
 * `states:DescribeExecution` on this state machine's executions only: each is named after its
 * incident at run time, so the ARN ends in a wildcard, acknowledged with `why` the function asks.
 */
export function grantDescribeOwnExecutions(fn: IFunction, stateMachine: StateMachine, why: string): void {
  const executions = Stack.of(fn).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachine.stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new PolicyStatement({
      sid: 'OwnExecutions',
      actions: ['states:DescribeExecution'],
      resources: [executions],
    }),
  );
  acknowledgeWildcardResource(
    fn.role ?? fn,
    executions,
    `${why} Executions of this one state machine; each is named after its incident at run time.`,
  );
}
