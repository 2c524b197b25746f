/**
 * `npm run bench:cost`: what one incident costs in AWS, measured on the deployed artifacts. The
 * default stack is synthesized and bundled as the deployed-artifact test does (test/deployed), the
 * scenario's EventBridge alarm goes through the ingest function and the execution it starts runs
 * the rendered state machine with every Task served by its function's bundle. Counted from that run:
 * state transitions (states entered), Lambda invocations and GB-seconds (the template's MemorySize ×
 * the measured duration, the first invocation of each function including its cold start, rounded up
 * to the millisecond as Lambda bills), DynamoDB request units (dynamo-meter.ts), SNS publishes, and
 * the log bytes the functions wrote. Prints one JSON document.
 *
 * Durations are this machine's (worker threads, shared cores): an upper bound for Lambda's. The run
 * is the test's: the alarm is OK from the first recovery check, so the flow resolves after its
 * confirming checks; a longer incident adds recovery checks and status updates. The model's tokens
 * are `npm run bench:model-cost`.
 *
 *   npm run bench:cost
 *   npm run bench:cost -- --scenario examples/scenarios/<file>.json   (an EventBridge alarm)
 */

import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { synthesizeAssemblies } from '../test/deployed/assembly.js';
import { DynamoMeter } from '../test/deployed/dynamo-meter.js';
import { alertToIncident, startDeployed } from '../test/deployed/flow.js';

/** us-east-1 list prices, free tiers ignored. Not re-checked from this machine (it has no network). */
export const PRICES = {
  checked: '2025 list prices (as published on the pages below; re-check before quoting)',
  region: 'us-east-1',
  stepFunctionsPerTransition: {
    usd: 0.025 / 1000,
    source: 'https://aws.amazon.com/step-functions/pricing/ (Standard: $0.025 per 1,000 state transitions)',
  },
  lambdaPerRequest: {
    usd: 0.2 / 1e6,
    source: 'https://aws.amazon.com/lambda/pricing/ ($0.20 per 1M requests)',
  },
  lambdaPerGbSecond: {
    arm64: 0.0000133334,
    x86_64: 0.0000166667,
    source:
      'https://aws.amazon.com/lambda/pricing/ (Arm $0.0000133334, x86 $0.0000166667 per GB-second, first tier)',
  },
  dynamoDbPerWriteUnit: {
    usd: 0.625 / 1e6,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ ($0.625 per million write request units)',
  },
  dynamoDbPerReadUnit: {
    usd: 0.125 / 1e6,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ ($0.125 per million read request units)',
  },
  snsPerPublish: {
    usd: 0.5 / 1e6,
    source:
      'https://aws.amazon.com/sns/pricing/ ($0.50 per 1M requests; each 64 KB of a publish is one request)',
  },
  logsPerGbIngested: {
    usd: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, standard ingestion: $0.50 per GB)',
  },
};

const { values } = parseArgs({
  options: { scenario: { type: 'string', default: 'examples/scenarios/checkout-5xx-after-deploy.json' } },
});
const round = (x: number, digits = 8) => Math.round(x * 10 ** digits) / 10 ** digits;

const started = Date.now();
const scenario = values.scenario as string;
const alert = JSON.parse(readFileSync(scenario, 'utf8')).alert;
if (alert?.source !== 'cloudwatch-eventbridge') {
  process.stderr.write(
    `${scenario}: bench:cost runs EventBridge alarms (the ingest function's input); this alert is ${alert?.source}\n`,
  );
  process.exit(2);
}
const assemblies = await synthesizeAssemblies([{ stackName: 'FirebreakDefaults' }]);
const meter = new DynamoMeter();
const assembly = assemblies.stacks[0];
const deployed = await startDeployed(assembly, { meter });
try {
  const { run, incident } = await alertToIncident(deployed, alert.payload);
  const byId = new Map(deployed.functions.map((f) => [f.logicalId, f]));
  const functions: Record<
    string,
    {
      memoryMb: number;
      architecture: string;
      invocations: number;
      billedMs: number;
      initMs: number;
      gbSeconds: number;
    }
  > = {};
  let lambdaUsd = 0;
  for (const inv of deployed.invocations) {
    const fn = byId.get(inv.function);
    if (!fn) continue;
    const architecture = String(
      assembly.template.Resources[fn.logicalId].Properties.Architectures?.[0] ?? 'x86_64',
    );
    const name = fn.environment.POWERTOOLS_SERVICE_NAME ?? fn.logicalId;
    functions[name] ??= {
      memoryMb: fn.memoryMb,
      architecture,
      invocations: 0,
      billedMs: 0,
      initMs: 0,
      gbSeconds: 0,
    };
    const entry = functions[name];
    const ms = Math.max(1, Math.ceil(inv.durationMs));
    const gbSeconds = (fn.memoryMb / 1024) * (ms / 1000);
    entry.invocations += 1;
    entry.billedMs += ms;
    entry.initMs += inv.initMs ?? 0;
    entry.gbSeconds = round(entry.gbSeconds + gbSeconds, 6);
    lambdaUsd +=
      PRICES.lambdaPerRequest.usd +
      gbSeconds * PRICES.lambdaPerGbSecond[architecture === 'arm64' ? 'arm64' : 'x86_64'];
  }
  const invocations = deployed.invocations.length;
  const gbSeconds = round(
    Object.values(functions).reduce((n, f) => n + f.gbSeconds, 0),
    4,
  );
  const transitions = run.states.length;
  const publishes = deployed.calls.filter((c) => c.service === 'sns' && c.command === 'PublishCommand');
  const snsRequests = publishes.reduce(
    (n, c) => n + Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(c.input)) / (64 * 1024))),
    0,
  );
  const logBytes = [...deployed.output.values()].flat().reduce((n, line) => n + Buffer.byteLength(line), 0);
  const { readRequestUnits, writeRequestUnits, requests } = meter.usage;
  const other: Record<string, number> = {};
  for (const c of deployed.calls) {
    if (c.service === 'sns' && c.command === 'PublishCommand') continue;
    const key = `${c.service}:${c.command.replace(/Command$/, '')}`;
    other[key] = (other[key] ?? 0) + 1;
  }
  const usd = {
    stepFunctions: transitions * PRICES.stepFunctionsPerTransition.usd,
    lambda: lambdaUsd,
    dynamoDb:
      writeRequestUnits * PRICES.dynamoDbPerWriteUnit.usd + readRequestUnits * PRICES.dynamoDbPerReadUnit.usd,
    sns: snsRequests * PRICES.snsPerPublish.usd,
    logs: (logBytes / 1024 ** 3) * PRICES.logsPerGbIngested.usd,
  };
  const total = Object.values(usd).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'cost',
        scenario,
        stack: 'default configuration (no subscribers: SNS deliveries not counted)',
        outcome: { execution: run.status, incident: incident?.status, states: run.states },
        stepFunctions: {
          stateTransitions: transitions,
          counted: 'states entered in the execution',
          usd: round(usd.stepFunctions),
        },
        lambda: {
          invocations,
          gbSeconds,
          coldStartInitMs: Object.values(functions).reduce((n, f) => n + f.initMs, 0),
          billed: 'duration incl. init (Lambda bills on-demand INIT since August 2025), 1 ms granularity',
          usd: round(usd.lambda),
          functions,
        },
        dynamoDb: {
          writeRequestUnits,
          readRequestUnits,
          requests,
          note: 'table units as dynalite computes them; index updates not counted',
          usd: round(usd.dynamoDb),
        },
        sns: { publishes: publishes.length, billedRequests: snsRequests, usd: round(usd.sns) },
        logs: { bytes: logBytes, usd: round(usd.logs) },
        otherApiCalls: {
          calls: other,
          note: 'not priced: telemetry reads, Secrets Manager, Step Functions StartExecution',
        },
        totalUsd: round(total, 6),
        per100IncidentsUsd: round(total * 100, 4),
        prices: PRICES,
        measuredOn: {
          node: process.version,
          cpus: cpus().length,
          loadAverage: loadavg().map((l) => round(l, 2)),
        },
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await deployed.close();
  await meter.close();
  assemblies.dispose();
}
