/**
 * The scenarios the deployed-artifact tests run, shared by the default and the every-option
 * configuration: an EventBridge alarm through the ingest bundle, then the execution it started.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import { PROJECT_ROOT } from '../../lib/bundling.js';
import type { Assembly } from './assembly.js';
import { Deployed } from './deployed.js';
import type { DynamoMeter } from './dynamo-meter.js';

export const scenarioAlert = (file: string): unknown =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples', 'scenarios', file), 'utf8')).alert.payload;

/** Sends the alert to the ingest function and runs the execution it asked Step Functions for. */
export async function alertToIncident(deployed: Deployed, alert: unknown) {
  const ingest = deployed.byService('firebreak-ingest');
  const before = deployed.calls.length;
  const ingested = (await deployed.invoke(ingest, alert)) as { decision: string; incidentId?: string };
  const start = deployed.calls
    .slice(before)
    .find((c) => c.service === 'sfn' && c.command === 'StartExecutionCommand');
  if (!start) throw new Error(`ingest started no execution: ${JSON.stringify(ingested)}`);
  const executionArn = `${String(start.input.stateMachineArn).replace(':stateMachine:', ':execution:')}:${start.input.name}`;
  const run = await deployed.execute(JSON.parse(start.input.input), { executionArn });
  const input = JSON.parse(start.input.input) as { incidentId: string };
  const tableName = ingest.environment.TABLE_NAME;
  const incident = await new DynamoIncidentStore(deployed.doc, tableName).get(input.incidentId);
  const published = deployed.calls
    .slice(before)
    .filter((c) => c.service === 'sns' && c.command === 'PublishCommand')
    .map((c) => ({
      topic: String(c.input.TopicArn),
      subject: String(c.input.Subject ?? ''),
      attributes: c.input.MessageAttributes,
    }));
  return { ingested, start, run, incident, published };
}

/**
 * The artifacts of one stack, started with the secrets the stack creates holding what an operator
 * puts there: a link-signing key, and (when the stack has the secret) no Anthropic key yet, so the
 * offline analyst answers. The alarm is back to OK from the first check on: a flow resolves after
 * its healthy checks.
 */
export async function startDeployed(
  assembly: Assembly,
  opts: { meter?: DynamoMeter } = {},
): Promise<Deployed> {
  const deployed = await Deployed.start(assembly, { alarmState: 'OK', secrets: {} }, opts);
  const env = (service: string) => deployed.byService(service).environment;
  const anthropic = env('firebreak-triage').ANTHROPIC_SECRET_ARN;
  deployed.setWorld({
    secrets: {
      [env('firebreak-request-approval').APPROVAL_SECRET_ARN]: 'k'.repeat(48),
      ...(anthropic ? { [anthropic]: '' } : {}),
    },
  });
  return deployed;
}
