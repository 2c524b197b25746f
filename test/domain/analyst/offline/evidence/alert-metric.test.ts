/**
 * Which series the alert is about when its payload names no metric: the affected service's series
 * the alert describes in words, and the way the alert says it went ("…VolumeLow") is its bad
 * direction. Without such words, the kind the alert names decides, as before.
 */
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../../domain/analyst/offline/evidence/catalog.js';
import { incidentOnset, readSeries } from '../../../../../domain/analyst/offline/evidence/series.js';
import { at, series, stepPoints } from '../fixtures.js';

const catalog = new Catalog([{ name: 'mail-dispatcher', tier: 'critical' }]);

const metrics = [
  // The service's own ratio of mail sent, gone to nothing at -50 …
  series('transactional_sent_ratio_vs_last_week', stepPoints(1, 0, -50, 0.02), {
    service: 'mail-dispatcher',
  }),
  // … and its task count, scaled in later as the work dried up.
  series('RunningTaskCount', stepPoints(12, 2, -25, 0), {
    service: 'mail-dispatcher',
    namespace: 'ECS/ContainerInsights',
  }),
];

const read = (alertText: string) =>
  readSeries(metrics, { catalog, service: 'mail-dispatcher', alertText, alertRaw: '' });

describe('the alert metric in words', () => {
  it('is the series the alert describes, bad in the direction the alert says, and it sets the onset', () => {
    const views = read(
      'TransactionalMailVolumeLow: transactional mail sent is 0% of the same hour last week',
    );
    const ratio = views.find((v) => v.series.metricName.startsWith('transactional'))!;
    expect(ratio.isAlertMetric).toBe(true);
    expect(ratio.bad).toBe(true);
    expect(incidentOnset(views, at(0))).toBe(ratio.onset!.at);
  });

  it('falls back to the kind the alert names when no series is described', () => {
    const views = read('Mail volume dropped');
    const ratio = views.find((v) => v.series.metricName.startsWith('transactional'))!;
    expect(ratio.isAlertMetric).toBe(false);
    expect(ratio.bad).toBe(false);
  });
});
