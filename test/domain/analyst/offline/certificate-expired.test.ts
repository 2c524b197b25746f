/**
 * An imported certificate whose days to expiry ran out, and browsers refusing the site with
 * NET::ERR_CERT_DATE_INVALID: the certificate has expired, and the action is to put a renewed one
 * in place (rotate), not to wait. The same canary failing on something else says nothing of expiry.
 */
import { describe, expect, it } from 'vitest';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

const env = (message: string) => ({
  services: [
    api('portal', ['portal-certificate']),
    { name: 'portal-certificate', tier: 'critical' as const },
  ],
  metrics: [
    {
      namespace: 'CloudWatchSynthetics',
      metricName: 'SuccessPercent',
      service: 'portal',
      points: stepPoints(100, 0, -6, 0),
    },
    {
      namespace: 'AWS/CertificateManager',
      metricName: 'DaysToExpiry',
      service: 'portal-certificate',
      points: Array.from(
        { length: 12 },
        (_, i) => [at(-11 * 24 * 60 + i * 24 * 60), Math.max(0, 10 - i)] as [string, number],
      ),
    },
  ],
  logs: [{ service: 'portal', timestamp: at(-6), level: 'ERROR', count: 6, message }],
});

describe('an expired certificate', () => {
  it('is read from the browser error and renewed by rotating it', async () => {
    const run = await runScenario(
      scenario(
        'portal',
        env(
          'Canary portal-canary step 1 failed: Error: net::ERR_CERT_DATE_INVALID at https://portal.example.com/',
        ),
      ),
    );
    expect(run.rootCause.category).toBe('configuration');
    expect(run.rootCause.summary.toLowerCase()).toContain('expired');
    expect(run.rootCause.mitigation?.kind).toBe('rotate-credentials');
  });

  it('is not what a canary failing on a refused connection reports', async () => {
    const run = await runScenario(
      scenario(
        'portal',
        env(
          'Canary portal-canary step 1 failed: Error: net::ERR_CONNECTION_REFUSED at https://portal.example.com/',
        ),
      ),
    );
    expect(run.rootCause.summary.toLowerCase()).not.toContain('certificate has expired');
  });
});
