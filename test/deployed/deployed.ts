/**
 * The deployed artifacts run together on this machine: the state machine definition as the template
 * renders it, executed by aws-local-stepfunctions, each Task served by the bundled asset of the
 * function its resolved ARN names (one worker thread per function, lambda-worker.mjs), DynamoDB in
 * dynalite with the table the template declares.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { type AslDefinition, type AslState, walkStates } from '../../statemachines/definition.js';
import type { Assembly } from './assembly.js';
import type { DynamoMeter } from './dynamo-meter.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, read field by field
type Json = any;

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
const PSEUDO: Record<string, string> = {
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Firebreak',
  'AWS::NoValue': '',
};

/** The physical name CloudFormation would give a resource: here its logical id, lower-cased. */
const physicalName = (id: string) => `firebreak-${id.toLowerCase()}`;

/** What `Ref` returns for a resource of each type (CloudFormation's documented return values). */
function ref(id: string, template: Assembly['template']): string {
  if (PSEUDO[id] !== undefined) return PSEUDO[id];
  const resource = template.Resources[id];
  if (!resource) throw new Error(`Ref to ${id}: no such resource or pseudo parameter`);
  const name = physicalName(id);
  switch (resource.Type) {
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
    case 'AWS::DynamoDB::Table':
    case 'AWS::Lambda::Function':
    case 'AWS::Logs::LogGroup':
    case 'AWS::ApiGateway::RestApi':
    case 'AWS::ApiGatewayV2::Api':
    case 'AWS::ApiGateway::Stage':
    case 'AWS::KMS::Key':
    case 'AWS::IAM::Role':
      return name;
    default:
      throw new Error(`Ref to ${id} (${resource.Type}): the deployed-artifact test does not model its value`);
  }
}

function getAtt(id: string, attribute: string, template: Assembly['template']): string {
  const resource = template.Resources[id];
  if (!resource) throw new Error(`Fn::GetAtt on ${id}: no such resource`);
  const name = physicalName(id);
  const key = `${resource.Type}.${attribute}`;
  switch (key) {
    case 'AWS::Lambda::Function.Arn':
      return functionArn(id);
    case 'AWS::DynamoDB::Table.Arn':
      return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
    case 'AWS::SNS::Topic.TopicArn':
      return ref(id, template);
    case 'AWS::StepFunctions::StateMachine.Arn':
      return ref(id, template);
    case 'AWS::Lambda::Url.FunctionUrl':
      return `https://${name}.lambda-url.${REGION}.on.aws/`;
    case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
      return `https://${name}.execute-api.${REGION}.amazonaws.com`;
    default:
      throw new Error(
        `Fn::GetAtt ${id}.${attribute} (${resource.Type}): not modelled by the deployed-artifact test`,
      );
  }
}

export const functionArn = (logicalId: string) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physicalName(logicalId)}`;

/** Resolves the intrinsic functions the template uses; anything else is an error, never a guess. */
export function resolve(value: Json, template: Assembly['template']): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(v, template));
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    const arg = value[keys[0]];
    switch (keys[0]) {
      case 'Ref':
        return ref(arg, template);
      case 'Fn::GetAtt':
        return getAtt(arg[0], arg[1], template);
      case 'Fn::Join':
        return (resolve(arg[1], template) as string[]).join(arg[0]);
      case 'Fn::Select':
        return resolve(arg[1], template)[Number(resolve(arg[0], template))];
      case 'Fn::Split':
        return String(resolve(arg[1], template)).split(arg[0]);
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : [arg[0], resolve(arg[1], template)];
        return (text as string).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
          if (vars[name] !== undefined) return vars[name];
          const [id, att] = name.split('.');
          return att ? getAtt(id, att, template) : ref(id, template);
        });
      }
      default:
        throw new Error(`${keys[0]}: not modelled by the deployed-artifact test`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, template)]));
}

export interface DeployedFunction {
  logicalId: string;
  name: string;
  arn: string;
  handler: string;
  codeDir: string;
  environment: Record<string, string>;
  memoryMb: number;
  timeoutSeconds: number;
  runtime: string;
}

/** Every Lambda function in the template, with its code folder and its environment resolved. */
export function deployedFunctions(assembly: Assembly): DeployedFunction[] {
  const { template } = assembly;
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([logicalId, r]) => {
      const p = r.Properties;
      const codeDir = assembly.codeDirs.get(logicalId);
      if (!codeDir || !existsSync(codeDir)) {
        throw new Error(`${logicalId}: no bundled code (is it a NodejsFunction of the stack?)`);
      }
      return {
        logicalId,
        name: physicalName(logicalId),
        arn: functionArn(logicalId),
        handler: p.Handler,
        codeDir,
        environment: resolve(p.Environment?.Variables ?? {}, template),
        memoryMb: p.MemorySize ?? 128,
        timeoutSeconds: p.Timeout ?? 3,
        runtime: p.Runtime,
      };
    });
}

export interface SdkCall {
  function: string;
  service: string;
  command: string;
  input: Json;
}

/** What the mocked services answer: read by every worker, changed by the test between steps. */
export interface World {
  alarmState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  secrets: Record<string, string>;
  /** Calls that fail, keyed `service:Command` (e.g. `cloudwatch:DescribeAlarmsCommand`), with AWS's error. */
  faults?: Record<string, { name: string; message: string }>;
}

/** A Lambda invocation's failure as Step Functions sees it: the error type becomes the name. */
export class LambdaError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

export class Deployed {
  readonly functions: DeployedFunction[];
  readonly calls: SdkCall[] = [];
  /** Every invocation; its duration includes the cold start's init (initMs) on a function's first one. */
  readonly invocations: Array<{
    function: string;
    ok: boolean;
    error?: string;
    durationMs: number;
    initMs?: number;
  }> = [];
  readonly output = new Map<string, string[]>();
  private readonly workers = new Map<string, Worker>();
  private readonly pending = new Map<
    number,
    { invocation: boolean; resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  private constructor(
    readonly assembly: Assembly,
    private readonly db: {
      server: Server;
      endpoint: string;
      client: DynamoDBClient;
      doc: DynamoDBDocumentClient;
    },
    readonly world: World,
  ) {
    this.functions = deployedFunctions(assembly);
  }

  /** Starts dynalite with the template's table (keys, indexes) under the name the functions get. */
  static async start(
    assembly: Assembly,
    world: World,
    opts: { meter?: DynamoMeter } = {},
  ): Promise<Deployed> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok());
    });
    const dynaliteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const endpoint = opts.meter ? await opts.meter.start(dynaliteUrl) : dynaliteUrl;
    // The test's own client (table creation, reading the outcome) bypasses the meter.
    const client = new DynamoDBClient({
      endpoint: dynaliteUrl,
      region: REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    for (const [id, r] of Object.entries(assembly.template.Resources)) {
      if (r.Type !== 'AWS::DynamoDB::Table') continue;
      const p = r.Properties;
      await client.send(
        new CreateTableCommand({
          TableName: ref(id, assembly.template),
          KeySchema: p.KeySchema,
          AttributeDefinitions: p.AttributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: Json) => ({
            IndexName: g.IndexName,
            KeySchema: g.KeySchema,
            Projection: g.Projection,
          })),
        }),
      );
    }
    const doc = DynamoDBDocumentClient.from(client);
    return new Deployed(assembly, { server, endpoint, client, doc }, world);
  }

  get doc(): DynamoDBDocumentClient {
    return this.db.doc;
  }

  byArn(arn: string): DeployedFunction | undefined {
    return this.functions.find((f) => f.arn === arn);
  }

  byService(service: string): DeployedFunction {
    const fn = this.functions.find((f) => f.environment.POWERTOOLS_SERVICE_NAME === service);
    if (!fn) throw new Error(`no function with POWERTOOLS_SERVICE_NAME ${service}`);
    return fn;
  }

  /**
   * The environment Lambda gives the function: the template's variables, then what the runtime
   * itself sets. The only addition is DynamoDB's endpoint, which the SDK reads from the standard
   * AWS_ENDPOINT_URL_DYNAMODB variable; nothing from this test process leaks in.
   */
  lambdaEnvironment(fn: DeployedFunction): Record<string, string> {
    return {
      ...fn.environment,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_ACCESS_KEY_ID: 'ASIATESTTESTTESTTEST',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_SESSION_TOKEN: 'test',
      LAMBDA_TASK_ROOT: fn.codeDir,
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      _HANDLER: fn.handler,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: '/usr/local/bin:/usr/bin/:/bin:/opt/bin',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      AWS_ENDPOINT_URL_DYNAMODB: this.db.endpoint,
    };
  }

  private worker(fn: DeployedFunction): Worker {
    const existing = this.workers.get(fn.logicalId);
    if (existing) return existing;
    const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      env: this.lambdaEnvironment(fn),
      workerData: {
        codeDir: fn.codeDir,
        handler: fn.handler,
        functionName: fn.name,
        functionArn: fn.arn,
        memoryMb: fn.memoryMb,
        timeoutSeconds: fn.timeoutSeconds,
        world: this.world,
      },
      stdout: true,
      stderr: true,
    });
    const lines: string[] = [];
    this.output.set(fn.logicalId, lines);
    worker.stdout.on('data', (d: Buffer) => lines.push(d.toString()));
    worker.stderr.on('data', (d: Buffer) => lines.push(d.toString()));
    worker.on('message', (msg: Json) => {
      if (msg.type === 'call') {
        this.calls.push({
          function: fn.logicalId,
          service: msg.service,
          command: msg.command,
          input: msg.input,
        });
        return;
      }
      const waiting = this.pending.get(msg.id);
      if (!waiting) return;
      this.pending.delete(msg.id);
      if (waiting.invocation) {
        this.invocations.push({
          function: fn.logicalId,
          ok: msg.type === 'result',
          durationMs: msg.durationMs,
          ...(msg.initMs ? { initMs: msg.initMs } : {}),
          ...(msg.type === 'result' ? {} : { error: `${msg.errorType}: ${msg.errorMessage}` }),
        });
      }
      if (msg.type === 'result') waiting.resolve(msg.result);
      else waiting.reject(new LambdaError(msg.errorType, msg.errorMessage));
    });
    worker.on('error', (err) => {
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(err);
      }
    });
    this.workers.set(fn.logicalId, worker);
    return worker;
  }

  /** Changes what the mocked services answer, in every execution environment. */
  setWorld(change: Partial<World>): void {
    Object.assign(this.world, change);
    for (const w of this.workers.values()) w.postMessage({ type: 'world', world: change });
  }

  /** A synchronous (RequestResponse) invocation. */
  invoke(fn: DeployedFunction, event: unknown): Promise<unknown> {
    const id = this.nextId++;
    const worker = this.worker(fn);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { invocation: true, resolve, reject });
      worker.postMessage({ id, event });
    });
  }

  /** Only the init phase: imports the function's asset and finds its handler export. */
  load(fn: DeployedFunction): Promise<unknown> {
    const id = this.nextId++;
    const worker = this.worker(fn);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { invocation: false, resolve, reject });
      worker.postMessage({ type: 'load', id });
    });
  }

  /** The rendered definition: DefinitionString with DefinitionSubstitutions resolved, as Step Functions gets it. */
  definition(): AslDefinition {
    const [, sm] = Object.entries(this.assembly.template.Resources).find(
      ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
    ) ?? [undefined, undefined];
    if (!sm) throw new Error('the template has no state machine');
    const text = resolve(sm.Properties.DefinitionString, this.assembly.template) as string;
    const subs = resolve(sm.Properties.DefinitionSubstitutions ?? {}, this.assembly.template) as Record<
      string,
      string
    >;
    const rendered = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => subs[key] ?? whole);
    const left = rendered.match(/\$\{[A-Za-z0-9_]+\}/g);
    if (left) throw new Error(`the rendered definition keeps placeholders: ${[...new Set(left)].join(', ')}`);
    return JSON.parse(rendered) as AslDefinition;
  }

  /** Task state → the function its resolved resource (or Parameters.FunctionName) names. */
  taskFunctions(definition: AslDefinition): { tasks: Map<string, DeployedFunction>; unmapped: string[] } {
    const tasks = new Map<string, DeployedFunction>();
    const unmapped: string[] = [];
    walkStates(definition.States, (name, state) => {
      if (state.Type !== 'Task') return;
      const resource = String(state.Resource);
      const target = resource.startsWith('arn:aws:states:::lambda:invoke')
        ? String((state.Parameters as Json)?.FunctionName ?? '')
        : resource;
      const fn = this.byArn(target);
      if (fn) tasks.set(name, fn);
      else unmapped.push(`${name} → ${target}`);
    });
    return { tasks, unmapped };
  }

  /**
   * Runs an execution the way Step Functions would: a Lambda ARN as the Resource returns the
   * function's result; lambda:invoke.waitForTaskToken invokes it with the Parameters and then waits
   * for the token to be answered, which `answer` does (it is handed the payload the function got).
   */
  async execute(
    input: unknown,
    opts: {
      executionArn: string;
      answer?: (payload: Json) => Promise<unknown>;
    },
  ): Promise<{ status: 'SUCCEEDED' | 'FAILED'; output: Json; error?: string; states: string[] }> {
    const definition = this.definition();
    const { tasks, unmapped } = this.taskFunctions(definition);
    if (unmapped.length) throw new Error(`Task states whose resource is no function: ${unmapped.join('; ')}`);
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, fn] of tasks) {
      const state = findState(definition, name);
      const waits = String(state.Resource).endsWith('.waitForTaskToken');
      handlers[name] = async (taskInput: Json) => {
        const payload = waits ? (taskInput?.Payload ?? taskInput) : taskInput;
        const result = await this.invoke(fn, payload);
        if (!waits) return result;
        if (!opts.answer) throw new Error(`${name} waits for a task token and the test gave no answer`);
        return opts.answer(payload);
      };
    }
    const waitStates: string[] = [];
    const retryStates: string[] = [];
    walkStates(definition.States, (name, state) => {
      if (state.Type === 'Wait') waitStates.push(name);
      if (Array.isArray(state.Retry) && state.Retry.length) retryStates.push(name);
    });
    const machine = new StateMachine(definition as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    });
    const name = opts.executionArn.split(':').at(-1) ?? 'execution';
    const stateMachineArn = opts.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: Object.fromEntries(waitStates.map((n) => [n, 1])),
        retryIntervalOverrides: Object.fromEntries(retryStates.map((n) => [n, 1])),
      },
      context: {
        Execution: {
          Id: opts.executionArn,
          Name: name,
          StartTime: new Date().toISOString(),
          Input: input as never,
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/firebreak-states`,
        },
        StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(':').at(-1) },
      },
    });
    const states: string[] = [];
    const consume = (async () => {
      for await (const event of execution.eventLogs as AsyncGenerator<Json>) {
        if (event.type === 'StateEntered') states.push(event.state.name);
      }
    })();
    try {
      const output = await execution.result;
      await consume;
      return { status: 'SUCCEEDED', output, states };
    } catch (err) {
      await consume.catch(() => undefined);
      return { status: 'FAILED', output: null, error: String((err as Error).message ?? err), states };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.terminate()));
    this.db.client.destroy();
    await new Promise<void>((ok) => this.db.server.close(() => ok()));
  }
}

function findState(definition: AslDefinition, name: string): AslState {
  let found: AslState | undefined;
  walkStates(definition.States, (n, s) => {
    if (n === name) found = s;
  });
  if (!found) throw new Error(`no state ${name}`);
  return found;
}
