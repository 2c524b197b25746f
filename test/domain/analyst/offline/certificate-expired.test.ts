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

/**
 * A client we do not run (a user's build job) rejecting the server's expired certificate is
 * talking about us: the certificate to renew is the one of the service the incident is about.
 * When the line comes from a service of ours, that service is the one blamed.
 */
describe('an expired certificate a client reports', () => {
  const notTimeValid =
    'The remote certificate is invalid according to the validation procedure: NotTimeValid. A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file.';
  const run = (clientInCatalog: boolean) =>
    runScenario(
      scenario('docs-site', {
        services: [api('docs-site'), ...(clientInCatalog ? [api('ci-downloads')] : [])],
        metrics: [
          {
            namespace: 'AWS/ApplicationELB',
            metricName: 'ClientTLSNegotiationErrorCount',
            service: 'docs-site',
            points: stepPoints(0, 140, -20, 2),
          },
        ],
        logs: [
          { service: 'ci-downloads', timestamp: at(-18), level: 'ERROR', count: 36, message: notTimeValid },
        ],
      }),
    );

  it('is renewed on the service the incident is about when the client is not ours', async () => {
    const { rootCause } = await run(false);
    expect(rootCause.category).toBe('configuration');
    expect(rootCause.mitigation).toMatchObject({ kind: 'rotate-credentials', target: 'docs-site' });
  });

  it('is blamed on our own service that logged it', async () => {
    const { rootCause } = await run(true);
    expect(rootCause.mitigation?.target).not.toBe('docs-site');
  });
});
