/** Incident records for tests: whole and valid, with only what a test is about spelled out. */
import type { Incident, RootCause } from '../../domain/model.js';

let n = 0;

/**
 * An incident with sensible defaults: a fresh id and fingerprint each call, TRIAGE, one service
 * (`checkout`), detected and updated at the same fixed time. Every default is overridden by `over`,
 * `undefined` included (to leave an optional field out).
 */
export function anIncident(over: Partial<Incident> = {}): Incident {
  const id = over.id ?? `inc-test-${++n}`;
  return {
    id,
    status: 'TRIAGE',
    title: 'checkout-5xx',
    service: 'checkout',
    services: ['checkout'],
    fingerprint: `fp-${id}`,
    source: 'manual',
    detectedAt: '2026-05-04T09:30:00.000Z',
    updatedAt: '2026-05-04T09:30:00.000Z',
    escalationTier: 0,
    ...over,
  };
}

/** A root cause with sensible defaults: a deployment, 0.8 confident, no evidence, no mitigation. */
export function aRootCause(over: Partial<RootCause> = {}): RootCause {
  return {
    category: 'deployment',
    culprit: '',
    summary: 'a deployment broke it',
    causalChain: [],
    confidence: 0.8,
    evidence: [],
    ruledOut: [],
    mitigation: null,
    degraded: false,
    ...over,
  };
}
