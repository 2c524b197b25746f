/**
 * Signatures whose culprit or cause class the evidence states: a certificate rejected by callers
 * that do not name it is the key its issuer's lines carry; a strong cause signature (an id space
 * exhausted) rules out the release running beside it through the service that release changed;
 * exposed credentials of an IAM user are its long-term access keys. Each rule with its negative,
 * on small synthetic evidence.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../../adapters/embedded/scenario/schema.js';
import { api, at, scenario, stepPoints } from './fixtures.js';
import { runScenario } from './harness.js';

type Env = Partial<Scenario['environment']>;

const conclude = async (service: string, e: Env) => (await runScenario(scenario(service, e))).rootCause;

const tokenEnv = (issuerNamesKey: boolean): Env => ({
  services: [api('orders-api', ['token-issuer']), api('token-issuer')],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'orders-api',
      points: stepPoints(2, 900, -7, 1),
    },
  ],
  logs: [
    {
      service: 'orders-api',
      timestamp: at(-7),
      level: 'ERROR',
      count: 20_000,
      message: 'JWT validation failed: the signing certificate has expired',
    },
    {
      service: 'token-issuer',
      timestamp: at(-40),
      level: 'INFO',
      count: 900,
      message: issuerNamesKey
        ? 'issued access token kid=issuer-signing-2025 aud=orders-api'
        : 'issued access token aud=orders-api',
    },
  ],
});

describe('a certificate rejected by a caller that does not name it', () => {
  it("is the key its issuer's lines name, replaced on the issuer", async () => {
    const rc = await conclude('orders-api', tokenEnv(true));
    expect(rc.category).toBe('configuration');
    expect(rc.culprit).toBe('issuer-signing-2025');
    expect(rc.mitigation).toMatchObject({ kind: 'rotate-credentials', target: 'token-issuer' });
  });

  it('is not given a name when the issuer names no key', async () => {
    const rc = await conclude('orders-api', tokenEnv(false));
    expect(rc.culprit).not.toContain('signing');
    expect(rc.mitigation?.target).not.toBe('token-issuer');
  });
});

const overflowEnv = (onDeployPath: boolean): Env => ({
  services: [
    api('orders-api', ['orders-db']),
    { name: 'orders-db', tier: 'critical' },
    api('ledger-api', ['ledger-db']),
    { name: 'ledger-db', tier: 'critical' },
  ],
  metrics: [
    {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      service: 'orders-api',
      points: stepPoints(2, 700, -6, 1),
    },
  ],
  deployments: [
    {
      service: 'orders-api',
      version: 'orders-431',
      previousVersion: 'orders-430',
      startedAt: at(-12),
      completedAt: at(-9),
      status: 'succeeded',
      description: 'copy change on the receipt page',
    },
  ],
  logs: [
    {
      service: onDeployPath ? 'orders-api' : 'ledger-api',
      timestamp: at(-6),
      level: 'ERROR',
      count: 8_000,
      message: "Mysql2::Error: Out of range value for column 'order_line_id' at row 1",
    },
  ],
});

describe('a strong cause signature that rules out the release running beside it', () => {
  it('weakens the release through the service it changed: the id space ran out, nothing to roll back', async () => {
    const rc = await conclude('orders-api', overflowEnv(true));
    expect(rc.category).toBe('database');
    expect(rc.culprit).toBe('orders-db');
    expect(rc.mitigation).toBeNull();
    expect(JSON.stringify(rc.ruledOut ?? [])).toMatch(
      /orders-431\): the errors after it say a limit was reached/,
    );
  });

  it('leaves a release off the signature path alone', async () => {
    const rc = await conclude('orders-api', overflowEnv(false));
    expect(JSON.stringify(rc.ruledOut ?? [])).not.toMatch(
      /orders-431\): the errors after it say a limit was reached/,
    );
  });
});

const torEnv = (who: string): Env => ({
  services: [api('exports-api', ['exports-bucket']), { name: 'exports-bucket', tier: 'critical' }],
  securityEvents: [
    {
      timestamp: at(-8),
      kind: 'guardduty-finding',
      source: 'guardduty',
      count: 3,
      detail: `UnauthorizedAccess:IAMUser/TorIPCaller (severity 5.0): API GetObject was invoked from Tor exit node 198.51.100.7 by ${who}.`,
    },
  ],
});

describe('exposed credentials of an IAM user', () => {
  it("are named as the user's long-term access keys", async () => {
    const rc = await conclude('exports-api', torEnv('IAMUser svc-export-sync'));
    expect(rc.category).toBe('security');
    expect(rc.summary).toContain('long-term access keys');
  });

  it('are not called access keys when the caller is a role session', async () => {
    const rc = await conclude('exports-api', torEnv('AssumedRole export-task-role'));
    expect(rc.category).toBe('security');
    expect(rc.summary).not.toContain('long-term access keys');
  });
});
