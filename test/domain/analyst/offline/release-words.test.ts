/**
 * One release shipped to the web and its worker at once; the worker's record only says "same
 * release as feed-web", and the worker's jobs die with a Python traceback. The statement quotes
 * what the release changed from the web's record and the exception the traceback ends with, not
 * its header.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { headline } from '../../../../domain/analyst/offline/measure.js';
import { api, at, scenario } from './fixtures.js';
import { runScenario } from './harness.js';

const TRACE = [
  'rq.worker: Traceback (most recent call last):',
  '  File "/app/feed/tasks.py", line 211, in publish',
  '    item.save()',
  '  ...',
  'django.db.utils.IntegrityError: duplicate key value violates unique constraint "feed_item_slug_key"',
  'DETAIL:  Key (slug)=() already exists.',
].join('\n');

const release = (service: string, description: string) => ({
  service,
  version: '2026.05.01.1',
  previousVersion: '2026.04.29.3',
  startedAt: at(-12),
  completedAt: at(-9),
  status: 'succeeded' as const,
  description,
});

const env = (workerWords: string): Partial<Scenario['environment']> => ({
  services: [
    api('feed-web', ['feed-db']),
    api('feed-worker', ['feed-db']),
    { name: 'feed-db', tier: 'critical' as const },
  ],
  deployments: [
    release('feed-web', 'Add uniqueness constraint on FeedItem.slug (migration feed.0312_item_slug_unique)'),
    release('feed-worker', workerWords),
  ],
  logs: [{ service: 'feed-worker', timestamp: at(-8), level: 'ERROR', count: 1800, message: TRACE }],
});

describe('the words of a release and of a traceback', () => {
  it('quotes the exception a traceback ends with', () => {
    expect(headline(TRACE)).toMatch(/^django\.db\.utils\.IntegrityError: duplicate key/);
    expect(headline('ERROR one\nsecond line')).toBe('ERROR one');
  });

  it("describes a worker's release by the web's record it points at", async () => {
    const run = await runScenario(scenario('feed-worker', env('Same release as feed-web')));
    expect(run.rootCause.category).toBe('deployment');
    expect(run.rootCause.summary).toMatch(/FeedItem\.slug/);
    expect(run.rootCause.summary).toMatch(/IntegrityError/);
  });

  it("keeps a worker's own words when they say something", async () => {
    const run = await runScenario(scenario('feed-worker', env('Retry publishing on conflict')));
    expect(run.rootCause.summary).toMatch(/Retry publishing on conflict/);
    expect(run.rootCause.summary).not.toMatch(/FeedItem\.slug/);
  });
});
