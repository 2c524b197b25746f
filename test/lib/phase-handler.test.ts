/**
 * What the Powertools middlewares add to every phase's Lambda: structured logs tagged with the
 * incident, an outcome metric per invocation (embedded metric format, flushed even on failure),
 * and the unchanged contract — zod rejects, AWS faults become TransientError.
 */
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { Ports } from '../../domain/ports.js';

const context = {
  functionName: 'Firebreak-PipelineDeclare',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Firebreak-PipelineDeclare',
  memoryLimitInMB: '256',
  awsRequestId: 'req-42',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

const LAMBDA_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'Firebreak-PipelineDeclare',
  POWERTOOLS_SERVICE_NAME: 'firebreak-declare',
  POWERTOOLS_METRICS_NAMESPACE: 'Firebreak',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_DISABLED: 'false',
};

let lines: string[] = [];
let handler: (event: unknown, ctx: Context) => Promise<unknown>;
let errors: typeof import('../../domain/errors.js');
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const [k, v] of Object.entries(LAMBDA_ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => capture(args.join(' ')));
  vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => capture(args.join(' ')));
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => capture(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => capture(args.join(' ')));
  // Powertools reads the environment (and binds its output) when the module loads, as in a cold start.
  vi.resetModules();
  const { phaseHandler } = await import('../../runtime/handler.js');
  errors = await import('../../domain/errors.js');
  handler = phaseHandler(
    z.object({ incidentId: z.string().regex(/^[a-z0-9-]+$/), fail: z.string().optional() }),
    async (input) => {
      if (input.fail) throw Object.assign(new Error('Rate exceeded'), { name: input.fail });
      return { ok: input.incidentId };
    },
    () => ({}) as Ports,
  ) as unknown as typeof handler;
});

afterAll(() => {
  vi.restoreAllMocks();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const json = () =>
  lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
const emf = (name: string) =>
  json().filter((l) => {
    const metrics = (l._aws as { CloudWatchMetrics?: Array<{ Metrics: Array<{ Name: string }> }> })
      ?.CloudWatchMetrics;
    return metrics?.some((m) => m.Metrics.some((x) => x.Name === name));
  });

describe('phaseHandler in Lambda', () => {
  it('runs the phase and counts the success under the phase service and the Firebreak namespace', async () => {
    lines = [];
    await expect(handler({ incidentId: 'inc-1' }, context)).resolves.toEqual({ ok: 'inc-1' });
    const [success] = emf('PhaseSucceeded');
    expect(success).toMatchObject({ service: 'firebreak-declare', PhaseSucceeded: 1 });
    expect(JSON.stringify(success._aws)).toContain('"Namespace":"Firebreak"');
  });

  it('rejects a bad payload as before, logging and counting the rejection', async () => {
    lines = [];
    const err = await handler({ incidentId: 'Not An Id' }, context).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ValidationError);
    expect(emf('PhaseRejected')).toHaveLength(1);
    expect(json().find((l) => l.message === 'phase rejected its input')).toMatchObject({
      level: 'WARN',
      service: 'firebreak-declare',
      function_request_id: 'req-42',
    });
  });

  it('renames an AWS throttle to TransientError and logs it against the incident', async () => {
    lines = [];
    const err = await handler({ incidentId: 'inc-2', fail: 'ThrottlingException' }, context).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(errors.TransientError);
    expect(emf('PhaseFailed')).toHaveLength(1);
    const logged = json().find((l) => l.message === 'phase failed');
    expect(logged).toMatchObject({ level: 'ERROR', incidentId: 'inc-2', function_request_id: 'req-42' });
    // Keys do not leak into the next invocation.
    lines = [];
    await handler({ incidentId: 'Not An Id' }, context).catch(() => undefined);
    expect(json().find((l) => l.message === 'phase rejected its input')).not.toHaveProperty('incidentId');
  });
});
