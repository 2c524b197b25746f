import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PHASES } from '../../lambdas/phases.js';
import {
  type AslState,
  placeholders,
  readDefinitionText,
  substitute,
  taskMap,
  walkStates,
} from '../../statemachines/definition.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (sep?: string) => string };

const text = readDefinitionText();
const raw = JSON.parse(text);
const allStates: Array<[string, AslState]> = [];
walkStates(raw.States, (name, state) => allStates.push([name, state]));

describe('statemachines/incident-response.asl.json', () => {
  it('passes asl-validator as written and with ARNs substituted', () => {
    const asWritten = aslValidator(JSON.parse(text));
    expect(asWritten.isValid, asWritten.errorsText('\n')).toBe(true);
    const arns = Object.fromEntries(
      placeholders(text).map((k) => [k, `arn:aws:lambda:us-east-1:123456789012:function:firebreak-${k}`]),
    );
    const substituted = aslValidator(substitute(text, arns));
    expect(substituted.isValid, substituted.errorsText('\n')).toBe(true);
    // The validator is live: a broken definition is refused.
    expect(aslValidator({ StartAt: 'Nowhere', States: {} }).isValid).toBe(false);
  });

  it('names exactly the phases the project implements, each by one placeholder', () => {
    expect(placeholders(text)).toEqual(Object.keys(PHASES).sort());
    for (const [name, task] of taskMap(text)) {
      expect(PHASES, `Task ${name}`).toHaveProperty(task.key);
    }
  });

  it('gives every Task a Retry for transient faults and a Catch', () => {
    const tasks = allStates.filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(17);
    for (const [name, state] of tasks) {
      const retry = state.Retry as Array<{ ErrorEquals: string[] }>;
      expect(retry?.[0]?.ErrorEquals, `${name} Retry`).toContain('TransientError');
      expect(retry[0].ErrorEquals, `${name} Retry`).toContain('Lambda.TooManyRequestsException');
      const catchers = state.Catch as Array<{ ErrorEquals: string[]; Next: string }>;
      expect(
        catchers?.some((c) => c.ErrorEquals.includes('States.ALL')),
        `${name} Catch`,
      ).toBe(true);
    }
  });

  it('routes every top-level Task failure to RecordFailure, which ends in a Fail state', () => {
    for (const [name, state] of Object.entries(raw.States as Record<string, AslState>)) {
      if (state.Type !== 'Task' || name === 'RecordFailure' || name === 'Intake') continue;
      const all = (state.Catch as Array<{ ErrorEquals: string[]; Next: string }>).find((c) =>
        c.ErrorEquals.includes('States.ALL'),
      );
      expect(all?.Next, name).toBe('RecordFailure');
    }
    expect(raw.States.RecordFailure.Next).toBe('Failed');
    expect(raw.States.Failed.Type).toBe('Fail');
  });

  it('chooses on severity, sends SEV4 past Declare, and investigates in a Parallel with a Map', () => {
    const route = raw.States.RouteBySeverity;
    expect(route.Type).toBe('Choice');
    expect(route.Choices).toContainEqual({
      Variable: '$.triage.severity',
      StringEquals: 'SEV4',
      Next: 'Respond',
    });
    expect(route.Default).toBe('Declare');
    expect(raw.States.TicketOrMitigate.Choices[0]).toMatchObject({
      StringEquals: 'SEV4',
      Next: 'RecordTicket',
    });
    const respond = raw.States.Respond;
    expect(respond.Type).toBe('Parallel');
    expect(respond.Branches).toHaveLength(2);
    expect(respond.Branches[0].States.Investigate).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.triage.specialists',
    });
  });

  it('waits for a human with a task token and a timeout, and escalates without running anything', () => {
    const approval = raw.States.RequestApproval;
    expect(approval.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(approval.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(approval.TimeoutSeconds).toBeGreaterThan(0);
    const unapproved = approval.Catch.find((c: { ErrorEquals: string[] }) =>
      c.ErrorEquals.includes('ApprovalRejected'),
    );
    expect(unapproved.ErrorEquals).toContain('States.Timeout');
    expect(unapproved.Next).toBe('EscalateUnapproved');
    expect(raw.States.EscalateUnapproved.Next).toBe('StartMonitor');
  });

  it('loops on a Wait whose length comes from triage, and leaves it by recovery, re-triage, escalation or hand-off', () => {
    expect(raw.States.WaitForRecovery).toMatchObject({ Type: 'Wait', SecondsPath: '$.monitor.waitSeconds' });
    const nexts = raw.States.Recovered.Choices.map((c: { Next: string }) => c.Next);
    expect(nexts).toEqual(['Resolve', 'Retriage', 'Escalate', 'StatusUpdate', 'Handoff']);
    expect(raw.States.Recovered.Default).toBe('WaitForRecovery');
    expect(raw.States.Escalate.Next).toBe('WaitForRecovery');
  });

  it('re-triages alerts that joined during the investigation before planning, and re-declares a raise', () => {
    expect(raw.States.Respond.Next).toBe('JoinedWhileInvestigating');
    expect(raw.States.JoinedWhileInvestigating).toMatchObject({
      Type: 'Task',
      Resource: raw.States.Triage.Resource,
      ResultPath: '$.triage',
      Next: 'RaisedWhileInvestigating',
    });
    // Compared with what the first triage counted: without a joiner the decision stands untouched.
    expect(raw.States.JoinedWhileInvestigating.Parameters.joinedSince).toEqual({
      'alertsSeen.$': '$.triage.alertsSeen',
      'firingSeen.$': '$.triage.firingSeen',
    });
    expect(raw.States.RaisedWhileInvestigating.Choices[0]).toMatchObject({
      Variable: '$.triage.raised',
      BooleanEquals: true,
      Next: 'RedeclareWhileInvestigating',
    });
    expect(raw.States.RaisedWhileInvestigating.Default).toBe('TicketOrMitigate');
    expect(raw.States.RedeclareWhileInvestigating).toMatchObject({
      Resource: raw.States.Declare.Resource,
      Next: 'TicketOrMitigate',
    });
    expect(raw.States.RedeclareWhileInvestigating.Parameters['reason.$']).toBe('$.triage.reason');
  });

  it('re-triages with the triage function, re-declares a raise, and plans a mitigation for a former ticket', () => {
    expect(raw.States.Retriage).toMatchObject({
      Type: 'Task',
      Resource: raw.States.Triage.Resource,
      ResultPath: '$.triage',
      Next: 'Raised',
    });
    expect(raw.States.Retriage.Parameters['retriage.$']).toBe('$.monitor.retriage');
    expect(raw.States.Raised.Choices[0]).toMatchObject({
      Variable: '$.triage.raised',
      BooleanEquals: true,
      Next: 'Redeclare',
    });
    expect(raw.States.Raised.Default).toBe('WaitForRecovery');
    expect(raw.States.Redeclare).toMatchObject({
      Resource: raw.States.Declare.Resource,
      Next: 'RaisedFromTicket',
    });
    expect(raw.States.Redeclare.Parameters['reason.$']).toBe('$.triage.reason');
    expect(raw.States.RaisedFromTicket.Choices[0]).toMatchObject({
      StringEquals: 'SEV4',
      Next: 'PlanMitigation',
    });
    expect(raw.States.RaisedFromTicket.Default).toBe('WaitForRecovery');
  });

  it('uses nothing the local engine cannot run', () => {
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"/);
    expect(text).not.toMatch(/"Assign"/);
    expect(text).not.toMatch(/"ResultPath"\s*:\s*"\$"/);
    expect(
      readFileSync(new URL('../../statemachines/incident-response.asl.json', import.meta.url), 'utf8'),
    ).toBe(text);
  });
});
