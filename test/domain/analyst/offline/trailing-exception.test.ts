/**
 * A long multi-line error whose exception is printed last (a Haskell call stack, a Python
 * traceback), and the incident tool's own "on-call was notified" record at the onset: the analyst
 * reads the exception at the end of the record, and never blames the notification as a change.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { readOnlyCall } from '../../../../domain/analyst/offline/evidence/change-flavor.js';
import { logSample, logSignature } from '../../../../domain/evidence/signatures.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const frames = Array.from(
  { length: 8 },
  (_, i) => `  at handler${i}, called at src/Server/Routes${i}.hs:${100 + i}:13`,
);
const deadlock = [
  'CallStack (from HasCallStack):',
  ...frames,
  '[Error][PID 654][ThreadId 643235] Unhandled exception: worker thread exited with exception: thread blocked indefinitely in an MVar operation',
].join('\n');

const env: Partial<Scenario['environment']> = {
  services: [api('nar-server', ['nar-db']), { name: 'nar-db', tier: 'critical', owner: 'team' }],
  metrics: [
    {
      namespace: 'Nginx',
      metricName: 'Http5xx',
      service: 'nar-server',
      points: stepPoints(0.5, 70, -5, 0.5),
    },
  ],
  logs: [
    { service: 'nar-server', timestamp: at(-5), level: 'ERROR', count: 3300, message: deadlock },
    {
      service: 'nar-server',
      timestamp: at(-40),
      level: 'INFO',
      count: 2500,
      message: 'GET /narinfo 200 4ms',
    },
  ],
  changes: [
    {
      timestamp: at(-4),
      source: 'pagerduty',
      eventName: 'NotificationSent',
      service: 'nar-server',
      resource: 'incident Q1C7XKM9J2VRA',
      actor: 'PagerDuty',
      summary: 'Notified on-call via email, push and phone',
    },
  ],
};

describe('an exception printed at the end of a long record', () => {
  it('keeps the head and the last line when the record is too long to keep whole', () => {
    expect(deadlock.length).toBeGreaterThan(500);
    const sample = logSample(deadlock);
    expect(sample.length).toBeLessThanOrEqual(500);
    expect(sample.startsWith('CallStack (from HasCallStack):')).toBe(true);
    expect(sample).toContain('thread blocked indefinitely in an MVar operation');
    expect(logSample('short line')).toBe('short line');
    expect(logSample('x'.repeat(600))).toBe('x'.repeat(500));
  });

  it('tells two long tracebacks with the same frames apart by the exception each ends with', () => {
    const traceback = (exception: string) =>
      [
        'Traceback (most recent call last):',
        ...frames.map((f) => `  File "/app/run.py", ${f}`),
        exception,
      ].join('\n');
    expect(logSignature(traceback('ValueError: bad date'))).not.toBe(
      logSignature(traceback("KeyError: 'tenant'")),
    );
    expect(logSignature(traceback('ValueError: bad date'))).toBe(
      logSignature(traceback('ValueError: bad date')),
    );
  });

  it('is the cause the analyst names, with its signature; the page sent to on-call is no change', async () => {
    const run = await runScenario(scenario('nar-server', env, 'nar-server returns 500'));
    expect(run.rootCause.category).toBe('code');
    expect(run.rootCause.culprit).toBe('nar-server');
    expect(run.rootCause.summary).toContain('MVar');
    expect(run.rootCause.mitigation?.kind).toBe('restart');
  });

  it('reads an incident tool notifying people as news, not a change', () => {
    const rec = (status: string) => ({ id: 'x', kind: 'change' as const, at: at(0), summary: '', status });
    expect(['NotificationSent', 'Notified', 'Paged'].map((e) => readOnlyCall(rec(e)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['PutNotificationConfiguration', 'UpdateNotificationSettings'].map((e) => readOnlyCall(rec(e))),
    ).toEqual([false, false]);
  });
});
