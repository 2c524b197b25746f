import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedDynamoDB } from '../../../adapters/embedded/dynamodb.js';
import type { MemoryNotifier } from '../../../adapters/embedded/notifiers.js';
import { ValidationError } from '../../../domain/errors.js';
import type { Ports } from '../../../domain/ports.js';
import { DeclareInput, declare } from '../../../lambdas/declare/index.js';
import { PHASES } from '../../../lambdas/phases.js';
import { phaseHandler } from '../../../runtime/handler.js';
import { anIncident } from '../../support/incidents.js';
import { testPorts } from '../../support/ports.js';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

describe('phase Lambda handlers', () => {
  for (const [key, phase] of Object.entries(PHASES)) {
    it(`${phase.dir} rejects a malformed payload before touching anything`, async () => {
      const mod = (await import(`../../../lambdas/${phase.dir}/handler.ts`)) as {
        handler: (event: unknown, ctx: Context) => Promise<unknown>;
      };
      const err = await mod.handler({ incidentId: 'bad id with spaces' }, context).catch((e: unknown) => e);
      expect(err, key).toBeInstanceOf(ValidationError);
      expect((err as Error).message).toMatch(/^invalid input: /);
    });
  }

  describe('with ports injected', () => {
    let db: EmbeddedDynamoDB;
    let ports: Ports;
    let notifier: MemoryNotifier;
    beforeAll(async () => {
      ({ ports, db, notifier } = await testPorts('2026-11-20T10:05:00Z'));
    });
    afterAll(async () => db.close());

    it('validates, then runs the phase against the injected store and notifier', async () => {
      await ports.store.create(
        anIncident({
          id: 'inc-handler-1',
          severity: 'SEV2',
          title: 'checkout-alb-5xx-high',
          service: undefined,
          fingerprint: 'fp-h1',
          source: 'cloudwatch-eventbridge',
          detectedAt: '2026-11-20T10:04:00.000Z',
          updatedAt: '2026-11-20T10:04:00.000Z',
        }),
      );
      const handler = phaseHandler(DeclareInput, declare, () => ports);
      await expect(handler({ incidentId: 'inc-handler-1' }, context)).resolves.toEqual({ notified: 2 });
      expect((await ports.store.get('inc-handler-1'))?.status).toBe('ACTIVE');
      expect(notifier.sent.map((m) => m.audience)).toEqual(['oncall', 'stakeholders']);
    });
  });
});
