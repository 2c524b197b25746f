/**
 * The flow: one Lambda per phase (lambdas/phases.ts) and the state machine loaded from
 * statemachines/incident-response.asl.json — the same file the local runner executes — with each
 * `${...FunctionArn}` placeholder substituted by its function's ARN.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PHASES, type PhaseKey } from '../lambdas/phases.js';
import { ENV } from '../runtime/env.js';
import { placeholders, readDefinitionText, taskMap } from '../statemachines/definition.js';
import { phaseEntry } from './bundling.js';
import type { DeployConfig } from './config.js';
import { FirebreakFunction } from './function.js';
import type { ModelAccess } from './model-access.js';
import { acknowledgeWildcardResource } from './nag.js';
import type { Notifications } from './notifications.js';
import { type ArnFn, evidenceStatements, mitigationStatements, WILDCARD_REASONS } from './permissions.js';
import { PHASE_PROFILES } from './profiles.js';
import type { Storage } from './storage.js';

export interface PipelineProps {
  config: DeployConfig;
  storage: Storage;
  notifications: Notifications;
  modelAccess: ModelAccess;
  /** RequestApproval signs the links it sends with this key, pointing at this URL. */
  approvalLinks: { key: ISecret; baseUrl: string };
  /** The ASL text; statemachines/incident-response.asl.json unless a test passes another. */
  definition?: string;
}

/** `TriageFunctionArn` → `Triage`: the construct id of a phase's function. */
const constructId = (key: string) => key.replace(/FunctionArn$/, '');

/** The environment every Firebreak function shares. */
export function baseEnvironment(props: Pick<PipelineProps, 'config' | 'storage' | 'notifications'>) {
  return {
    [ENV.tableName]: props.storage.table.tableName,
    [ENV.topicArn]: props.notifications.topic.topicArn,
    [ENV.config]: JSON.stringify(props.config.runtime),
    [ENV.catalog]: JSON.stringify(props.config.catalog),
  };
}

export class Pipeline extends Construct {
  readonly functions: Record<PhaseKey, LambdaFunction>;
  readonly stateMachine: StateMachine;
  /** Placeholder → function ARN, exactly as handed to Step Functions. */
  readonly substitutions: Record<string, string>;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { config, storage, notifications } = props;
    const definition = props.definition ?? readDefinitionText();
    const tasks = [...taskMap(definition).values()];
    const wanted = placeholders(definition);
    const keys = Object.keys(PHASES) as PhaseKey[];
    const missing = wanted.filter((p) => !keys.includes(p as PhaseKey));
    const unused = keys.filter((k) => !wanted.includes(k));
    if (missing.length || unused.length) {
      throw new Error(
        `the state machine and lambdas/phases.ts disagree: ${[
          ...missing.map((p) => `\${${p}} has no phase`),
          ...unused.map((k) => `phase ${k} is invoked by no state`),
        ].join('; ')}`,
      );
    }
    if (typeof JSON.parse(definition).TimeoutSeconds !== 'number') {
      throw new Error('the state machine definition has no top-level TimeoutSeconds (the execution timeout)');
    }

    const { partition, region: stackRegion, account } = Stack.of(this);
    const arn: ArnFn = (service, resource, region = stackRegion) =>
      `arn:${partition}:${service}:${region}:${account}:${resource}`;
    const functions = {} as Record<PhaseKey, LambdaFunction>;
    for (const key of keys) {
      const profile = PHASE_PROFILES[key];
      // A Lambda that outlives its Task's timeout would be abandoned mid-write: keep it inside.
      for (const task of tasks.filter((t) => t.key === key && !t.waitForTaskToken)) {
        const taskTimeout = task.state.TimeoutSeconds;
        if (typeof taskTimeout === 'number' && profile.timeoutSeconds >= taskTimeout) {
          throw new Error(
            `${PHASES[key].dir}: Lambda timeout ${profile.timeoutSeconds}s must be below its Task's TimeoutSeconds ${taskTimeout}s`,
          );
        }
      }
      const { fn } = new FirebreakFunction(this, constructId(key), {
        entry: phaseEntry(key),
        serviceName: `firebreak-${PHASES[key].dir}`,
        description: `Firebreak phase: ${PHASES[key].dir}`,
        timeoutSeconds: profile.timeoutSeconds,
        memoryMb: profile.memoryMb,
        logRetention: config.retention.logDays as RetentionDays,
        environment: {
          ...baseEnvironment(props),
          ...(profile.analyst ? props.modelAccess.environment() : {}),
          ...(profile.signsApprovalLinks
            ? {
                [ENV.approvalSecretArn]: props.approvalLinks.key.secretArn,
                [ENV.approvalBaseUrl]: props.approvalLinks.baseUrl,
              }
            : {}),
        },
      });
      storage.grantReadWrite(fn);
      if (profile.publishes) notifications.grantPublish(fn);
      if (profile.evidence) {
        for (const s of evidenceStatements(config.catalog, arn)) {
          fn.addToRolePolicy(s);
          for (const resource of s.resources.filter((r) => r !== '*' && r.includes('*'))) {
            acknowledgeWildcardResource(
              fn.role ?? fn,
              resource,
              'Logs Insights on a log group listed in the service catalog; ":*" is its log streams.',
            );
          }
        }
      }
      if (profile.analyst) props.modelAccess.grantTo(fn);
      if (profile.mitigation !== 'none') {
        for (const s of mitigationStatements(config.runtime, arn, profile.mitigation)) {
          fn.addToRolePolicy(s);
          for (const resource of s.resources.filter((r) => r !== '*' && r.includes('*'))) {
            const reason = WILDCARD_REASONS[s.sid ?? ''];
            if (!reason)
              throw new Error(`mitigation statement ${s.sid} has a wildcard resource and no stated reason`);
            acknowledgeWildcardResource(fn.role ?? fn, resource, reason);
          }
        }
      }
      if (profile.signsApprovalLinks) props.approvalLinks.key.grantRead(fn);
      functions[key] = fn;
    }
    this.functions = functions;
    this.substitutions = Object.fromEntries(keys.map((k) => [k, functions[k].functionArn]));

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      // Step Functions log delivery wants the /aws/vendedlogs/ prefix (resource policy size limits).
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-incident-response`,
      retention: config.retention.logDays as RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'IncidentResponse', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(definition),
      definitionSubstitutions: this.substitutions,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      comment: 'Firebreak incident response (statemachines/incident-response.asl.json)',
    });
    // CDK cannot see the Tasks inside a definition string, so each invoke is granted here.
    for (const key of keys) {
      functions[key].grantInvoke(this.stateMachine);
      acknowledgeWildcardResource(
        this.stateMachine.role,
        `${functions[key].functionArn}:*`,
        'grantInvoke covers the versions and aliases (ARN:*) of this one phase function.',
      );
    }
    acknowledgeWildcardResource(
      this.stateMachine.role,
      '*',
      'Step Functions needs CloudWatch Logs delivery and X-Ray trace upload, whose APIs take no resource ARN (lib/permissions.ts UNSCOPABLE lists each action; test/lib fails on any other).',
    );
  }
}
