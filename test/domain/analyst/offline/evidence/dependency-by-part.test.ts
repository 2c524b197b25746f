/**
 * Callers shorten what they call: "OMS request timed out" is a call to `vendor-oms`. A line names a
 * direct dependency of its service by a distinctive part of that dependency's name; parts every
 * catalog reuses never decide, a part two dependencies share names neither, nor does a part of the
 * caller's own name, and a request's path (the caller's own resources) names nothing.
 */
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../../domain/analyst/offline/evidence/catalog.js';
import { api, at, scenario, stepPoints } from '../fixtures.js';
import { runScenario } from '../harness.js';

const catalog = new Catalog([
  { name: 'order-gateway', tier: 'critical', dependsOn: ['vendor-oms', 'orders-api', 'orders-db'] },
  { name: 'vendor-oms', tier: 'critical', owner: 'vendor: hosted OMS' },
  { name: 'orders-api', tier: 'high' },
  { name: 'orders-db', tier: 'high' },
  { name: 'unrelated-oms', tier: 'standard' },
]);

describe('a dependency named by a part of its name', () => {
  it('is the one direct dependency the line names by a distinctive part', () => {
    expect(
      catalog.dependencyNamedIn('order-gateway', 'PlaceOrder failed: OMS request timed out after 5000ms'),
    ).toBe('vendor-oms');
  });

  it("is read from a URL's host, never from a request's path (the caller's own resources)", () => {
    expect(
      catalog.dependencyNamedIn('order-gateway', 'upstream https://oms.example.com/v1/orders timed out'),
    ).toBe('vendor-oms');
    expect(
      catalog.dependencyNamedIn(
        'order-gateway',
        'Request ran for longer than 29000ms POST /api/v2/oms/orders',
      ),
    ).toBeUndefined();
  });

  it('is none when only a generic part matches, or when two dependencies share the part', () => {
    expect(catalog.dependencyNamedIn('order-gateway', 'vendor api returned 502')).toBeUndefined();
    expect(catalog.dependencyNamedIn('order-gateway', 'loading orders failed: timeout')).toBeUndefined();
    expect(catalog.dependencyNamedIn('orders-api', 'OMS request timed out')).toBeUndefined();
  });

  it("is none when the part is also the caller's own name (the system's word, not the dependency's)", () => {
    const own = new Catalog([
      { name: 'pipeline-service', tier: 'critical', dependsOn: ['pipeline-db', 'vendor-oms'] },
      { name: 'pipeline-db', tier: 'critical' },
      { name: 'vendor-oms', tier: 'high' },
    ]);
    const line = 'MongoTimeoutException: Timed out after 30000 ms (planExecution update, pipeline init step)';
    expect(own.dependencyNamedIn('pipeline-service', line)).toBeUndefined();
    expect(own.dependencyNamedIn('pipeline-service', 'OMS request timed out')).toBe('vendor-oms');
  });

  it('makes a vendor that times out the failing dependency when its caller says so in short', async () => {
    const run = await runScenario(
      scenario('order-gateway', {
        services: [
          api('order-gateway', ['vendor-oms']),
          { name: 'vendor-oms', tier: 'critical' as const, owner: 'vendor: hosted OMS provider' },
        ],
        metrics: [
          {
            namespace: 'Trading/OrderGateway',
            metricName: 'OrderPlacementFailures',
            service: 'order-gateway',
            points: stepPoints(1, 8000, -4, 1),
          },
        ],
        logs: [
          {
            service: 'order-gateway',
            timestamp: at(-4),
            level: 'ERROR',
            count: 80_000,
            message: 'PlaceOrder failed: OMS request timed out after 5000ms (oms_session=PRIM-02)',
          },
        ],
      }),
    );
    expect(run.rootCause.category).toBe('dependency');
    expect(run.rootCause.culprit).toBe('vendor-oms');
  });
});
