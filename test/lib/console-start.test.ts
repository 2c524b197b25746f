/**
 * The Step Functions console input `{"manual": {...}}` (docs/deploy.md, `firebreak start` in AWS)
 * drives the very ASL file the stack deploys: StartedByHand routes it to Intake, the intake phase
 * opens the incident in the store, and Triage receives that incident. Run on aws-local-stepfunctions
 * with the real intake phase over dynalite; the execution is stopped once Triage is reached.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';
import type { Ports } from '../../domain/ports.js';
import { PHASES } from '../../lambdas/phases.js';
import { readDefinitionText, substitute, taskMap } from '../../statemachines/definition.js';
import { testPorts } from '../support/ports.js';

const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:FirebreakIncidentResponse:console-start-1';

let db: EmbeddedDynamoDB;
let ports: Ports;
beforeAll(async () => {
  ({ ports, db } = await testPorts('2026-11-20T10:05:00Z'));
});
afterAll(async () => db.close());

describe('a console start', () => {
  it('opens the incident through Intake and hands it to Triage', async () => {
    const text = readDefinitionText();
    const tasks = taskMap(text);
    const arn = (key: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${key}`;
    const definition = substitute(
      text,
      Object.fromEntries([...tasks.values()].map((t) => [t.key, arn(t.key)])),
    );
    const seen: Record<string, unknown> = {};
    let execution: ReturnType<StateMachine['run']> | undefined;
    const handlers: Record<string, (input: unknown) => Promise<never>> = {};
    for (const [state, task] of tasks) {
      handlers[state] = async (input: unknown) => {
        seen[state] = input;
        if (task.key === 'IntakeFunctionArn') {
          const phase = PHASES.IntakeFunctionArn;
          return JSON.parse(JSON.stringify(await phase.run(phase.input.parse(input), ports))) as never;
        }
        // Triage is where a console start joins an alert's path: stop there.
        execution?.abort();
        return {} as never;
      };
    }
    const manual = {
      service: 'checkout',
      summary: 'Checkout returns 502 for a third of requests',
      severity: 'SEV2',
    };
    execution = new StateMachine(definition as never, {
      validationOptions: { checkPaths: true, checkArn: true },
    }).run(
      { manual },
      {
        noThrowOnAbort: true,
        overrides: { taskResourceLocalHandlers: handlers },
        context: {
          Execution: {
            Id: EXECUTION,
            Name: 'console-start-1',
            StartTime: '2026-11-20T10:05:00Z',
            Input: { manual },
          },
        },
      },
    );
    await execution.result;

    expect(seen.Intake).toEqual({ manual, executionArn: EXECUTION });
    const { incidentId } = seen.Triage as { incidentId: string };
    expect(seen.Triage).toEqual({ incidentId, executionArn: EXECUTION });
    expect(Object.keys(seen).sort()).toEqual(['Intake', 'Triage']);
    const incident = await ports.store.get(incidentId);
    expect(incident).toMatchObject({ service: 'checkout', source: 'manual', title: manual.summary });
    const [alert] = await ports.store.alerts(incidentId);
    expect(alert).toMatchObject({ source: 'manual', severityHint: 'SEV2', service: 'checkout' });
  });
});
