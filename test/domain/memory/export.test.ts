/** The replayed alert of an export is the incident's own, even when the store lists a joined one first. */
import { describe, expect, it } from 'vitest';
import { scenarioOf } from '../../../domain/memory/export.js';
import { NormalizedAlert } from '../../../domain/model.js';
import { anIncident, aRootCause } from '../../support/incidents.js';

const alert = (over: Partial<NormalizedAlert>) =>
  NormalizedAlert.parse({
    source: 'manual',
    sourceEventId: 'e',
    fingerprint: 'fp',
    status: 'firing',
    title: 't',
    startedAt: '2026-05-04T09:30:00.000Z',
    raw: { ok: true },
    ...over,
  });

describe('scenarioOf', () => {
  it('replays the incident’s own alert, not one that joined it and sorts first in the store', () => {
    const incident = anIncident({
      status: 'RESOLVED',
      fingerprint: 'fp-own',
      rootCause: aRootCause(),
      review: {
        verdict: 'correct',
        by: 'alice',
        at: '2026-05-04T10:30:00.000Z',
        score: 100,
        confirmed: { category: 'deployment', culprit: 'checkout', summary: '' },
      },
    });
    const joined = alert({
      source: 'alertmanager',
      sourceEventId: 'a-joined',
      fingerprint: 'fp-joined',
      title: 'joined later',
      startedAt: '2026-05-04T09:40:00.000Z',
      raw: { joined: true },
    });
    const own = alert({ source: 'cloudwatch-eventbridge', fingerprint: 'fp-own', raw: { own: true } });
    expect(scenarioOf(incident, [joined, own]).alert).toEqual({
      source: 'cloudwatch-eventbridge',
      receivedAt: incident.detectedAt,
      payload: { own: true },
    });
  });
});
