/**
 * One Lambda execution environment: a worker thread whose process.env is exactly what the caller
 * passes (the template's variables plus what Lambda's runtime sets), which imports the bundled
 * asset from its cdk.out folder with Node's own loader and calls the configured handler export with
 * a Lambda-shaped context. Plain JavaScript so no test loader stands between Node and the bundle.
 *
 * DynamoDB is real (dynalite, through AWS_ENDPOINT_URL_DYNAMODB). The other AWS services have no
 * local stand-in here, so they are mocked at the SDK client (aws-sdk-client-mock), and every call
 * is reported to the parent so the test can assert what was published, started or answered.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';

const {
  codeDir,
  handler: handlerSetting,
  functionName,
  functionArn,
  memoryMb,
  timeoutSeconds,
  world,
} = workerData;

const report = (service, command, input) => parentPort.postMessage({ type: 'call', service, command, input });
// A dependency the test makes fail (world.faults, keyed `service:Command`): the error AWS would send.
const recorded = (client, service, command, output) =>
  client.on(command).callsFake((input) => {
    report(service, command.name, input);
    const fault = world.faults?.[`${service}:${command.name}`];
    if (fault) {
      throw Object.assign(new Error(fault.message), {
        name: fault.name,
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    return typeof output === 'function' ? output(input) : output;
  });

// Any call not listed below fails loudly (aws-sdk-client-mock answers undefined, which the code
// under test would misread), so each client rejects unlisted commands with a named error.
const strict = (client, service) =>
  client.onAnyCommand().callsFake((input) => {
    report(service, 'unexpected', input);
    throw Object.assign(new Error(`${service}: command not served by the deployed-artifact test`), {
      name: 'UnservedCommand',
    });
  });

const sns = mockClient(SNSClient);
strict(sns, 'sns');
recorded(sns, 'sns', PublishCommand, () => ({ MessageId: randomUUID() }));

const sfn = mockClient(SFNClient);
strict(sfn, 'sfn');
recorded(sfn, 'sfn', StartExecutionCommand, (input) => ({
  executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
  startDate: new Date(),
}));
recorded(sfn, 'sfn', SendTaskSuccessCommand, {});
recorded(sfn, 'sfn', SendTaskFailureCommand, {});

const secrets = mockClient(SecretsManagerClient);
strict(secrets, 'secretsmanager');
recorded(secrets, 'secretsmanager', GetSecretValueCommand, (input) => {
  const value = world.secrets[input.SecretId];
  if (value === undefined) {
    throw Object.assign(new Error(`Secrets Manager can't find the specified secret ${input.SecretId}`), {
      name: 'ResourceNotFoundException',
    });
  }
  return { ARN: input.SecretId, SecretString: value };
});

// Telemetry: the alarm is in the state the test sets; metrics, logs and the trail hold nothing.
const cloudwatch = mockClient(CloudWatchClient);
strict(cloudwatch, 'cloudwatch');
recorded(cloudwatch, 'cloudwatch', DescribeAlarmsCommand, (input) => ({
  MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: world.alarmState })),
  CompositeAlarms: [],
}));
recorded(cloudwatch, 'cloudwatch', DescribeAlarmHistoryCommand, { AlarmHistoryItems: [] });
recorded(cloudwatch, 'cloudwatch', GetMetricDataCommand, { MetricDataResults: [], Messages: [] });
const logs = mockClient(CloudWatchLogsClient);
strict(logs, 'logs');
recorded(logs, 'logs', DescribeLogGroupsCommand, { logGroups: [] });
recorded(logs, 'logs', StartQueryCommand, () => ({ queryId: randomUUID() }));
recorded(logs, 'logs', GetQueryResultsCommand, { status: 'Complete', results: [] });
recorded(logs, 'logs', StopQueryCommand, { success: true });
const trail = mockClient(CloudTrailClient);
strict(trail, 'cloudtrail');
recorded(trail, 'cloudtrail', LookupEventsCommand, { Events: [] });

// Lambda's Node.js runtime: `file.export`, file being .mjs, .js or .cjs in the task root.
const [file, exportName] = [
  handlerSetting.slice(0, handlerSetting.lastIndexOf('.')),
  handlerSetting.split('.').at(-1),
];
const candidates = ['.mjs', '.js', '.cjs'].map((ext) => join(codeDir, file + ext));
const entry = candidates.find((c) => existsSync(c));

let loaded;
const load = async () => {
  if (!entry)
    throw Object.assign(new Error(`no ${file}.mjs/.js/.cjs in ${codeDir}`), {
      name: 'Runtime.ImportModuleError',
    });
  let mod;
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch (err) {
    throw Object.assign(new Error(`cannot load ${entry}: ${err?.stack ?? err}`), {
      name: 'Runtime.ImportModuleError',
    });
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${entry} has no export ${exportName}`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return fn;
};

parentPort.on('message', async (msg) => {
  if (msg.type === 'world') {
    Object.assign(world, msg.world);
    return;
  }
  if (msg.type === 'load') {
    // The init phase alone: import the asset and find the handler, as a cold start does first.
    try {
      loaded ??= load();
      await loaded;
      parentPort.postMessage({ type: 'result', id: msg.id, result: null });
    } catch (err) {
      parentPort.postMessage({
        type: 'error',
        id: msg.id,
        errorType: err?.name ?? 'Error',
        errorMessage: String(err?.message ?? err),
      });
    }
    return;
  }
  const { id, event } = msg;
  const started = Date.now();
  const awsRequestId = randomUUID();
  // Lambda sets the trace header per invocation; unsampled, so the X-Ray SDK sends nothing.
  process.env._X_AMZN_TRACE_ID = `Root=1-${Math.floor(started / 1000).toString(16)}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, started + timeoutSeconds * 1000 - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const cold = !loaded;
    loaded ??= load();
    const fn = await loaded;
    const initMs = cold ? Date.now() - started : 0;
    const result = await fn(event, context);
    // What Lambda returns is JSON: anything that does not survive serialization is lost there too.
    parentPort.postMessage({
      type: 'result',
      id,
      result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
      durationMs: Date.now() - started,
      initMs,
    });
  } catch (err) {
    parentPort.postMessage({
      type: 'error',
      id,
      errorType: err?.name ?? 'Error',
      errorMessage: String(err?.message ?? err),
      durationMs: Date.now() - started,
    });
  }
});
