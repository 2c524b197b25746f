/** The deploy configuration: defaults, what it derives, and every way it refuses to synthesize. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../domain/config.js';
import {
  audienceSeverities,
  DeployConfigError,
  historyEstimate,
  loadDeployConfig,
  parseDeployConfig,
} from '../../lib/config.js';
import { filterPolicy, routes } from '../../lib/notifications.js';

const issuesOf = (input: unknown): string[] => {
  try {
    parseDeployConfig(input, 'test');
  } catch (err) {
    if (err instanceof DeployConfigError) return err.issues;
    throw err;
  }
  return [];
};

describe('deploy configuration', () => {
  it('defaults to a retained, protected production stack that executes no action', () => {
    const c = parseDeployConfig({});
    expect(c).toMatchObject({
      stackName: 'Firebreak',
      removalPolicy: 'retain',
      deletionProtection: true,
      model: { provider: 'anthropic', fastModel: 'claude-haiku-4-5', strongModel: 'claude-sonnet-4-5' },
      retention: { logDays: 30, backupDays: 35 },
    });
    expect(c.runtime).toEqual(defaultConfig());
    expect(c.runtime.enabledActions).toEqual([]);
  });

  it('derives who hears which severity from the response policy', () => {
    const { runtime } = parseDeployConfig({});
    expect(audienceSeverities(runtime, 'executives')).toEqual(['SEV1']);
    expect(audienceSeverities(runtime, 'stakeholders')).toEqual(['SEV1', 'SEV2']);
    expect(audienceSeverities(runtime, 'oncall')).toEqual(['SEV1', 'SEV2', 'SEV3']);
    expect(audienceSeverities(runtime, 'team-lead')).toEqual(['SEV1', 'SEV2', 'SEV3']);
  });

  it('applies severity cadences in minutes to the runtime policy', () => {
    const c = parseDeployConfig({ cadenceMinutes: { SEV1: 10, SEV3: 120 } });
    expect(c.runtime.severity.SEV1.updateCadenceSeconds).toBe(600);
    expect(c.runtime.severity.SEV2.updateCadenceSeconds).toBe(1800);
    expect(c.runtime.severity.SEV3.updateCadenceSeconds).toBe(7200);
  });

  it('merges one person in two audiences into one filtered subscription', () => {
    const c = parseDeployConfig({
      subscribers: { oncall: [{ email: 'Ana@example.com' }], 'team-lead': [{ email: 'ana@example.com' }] },
    });
    const [route] = routes(c);
    expect(routes(c)).toHaveLength(1);
    expect(filterPolicy(route)).toEqual({
      $or: [
        { audience: ['oncall'], severity: ['SEV1', 'SEV2', 'SEV3'] },
        { audience: ['team-lead'], severity: ['SEV1', 'SEV2', 'SEV3'] },
      ],
    });
  });

  it.each([
    [{ subscribers: { oncal: [{ email: 'a@example.com' }] } }, /Unrecognized key: "oncal"/],
    [{ subscribers: { oncall: [{ email: 'not-an-email' }] } }, /subscribers\.oncall\.0\.email/],
    [{ subscribers: { oncall: [{ sms: '555-0100' }] } }, /E\.164/],
    [
      { subscribers: { oncall: [{ email: 'a@example.com', sms: '+15555550100' }] } },
      /exactly one of "email" or "sms"/,
    ],
    [
      { subscribers: { executives: [{ email: 'a@example.com', severities: ['SEV3'] }] } },
      /executives only hears SEV1, none of SEV3/,
    ],
    [{ mitigation: { enabledActions: ['failover'] } }, /failover has no AWS implementation/],
    [
      { mitigation: { enabledActions: ['rollback'] } },
      /rollback is enabled but resources lists no lambda or ecs resource/,
    ],
    [{ mitigation: { enabledActions: ['explode'] } }, /mitigation\.enabledActions\.0/],
    [
      { cadenceMinutes: { SEV1: 2 } },
      /cadenceMinutes\.SEV1: 2 min is shorter than the recovery check interval \(5 min\)/,
    ],
    [
      { response: { approvalTimeoutSeconds: 600 } },
      /approvalTimeoutSeconds: 600 must equal the RequestApproval state's TimeoutSeconds \(900\)/,
    ],
    [
      { response: { enabledActions: ['rollback'] } },
      /response\.enabledActions: set mitigation\.enabledActions instead/,
    ],
    [{ response: { checkIntervalSeconds: 1 } }, /response\.checkIntervalSeconds/],
    [{ model: { provider: 'bedrock' } }, /model\.fastModel/],
    [{ model: { provider: 'anthropic', fastModel: 'gpt-4' } }, /an Anthropic model id/],
    [
      { model: { provider: 'bedrock', fastModel: 'meta.llama3', strongModel: 'anthropic.claude-x' } },
      /Bedrock Anthropic model/,
    ],
    [{ retention: { logDays: 45 } }, /one of 1, 3, 5/],
    [{ removalPolicy: 'destroy', deletionProtection: true }, /protected table cannot be destroyed/],
    [
      { ingest: { claimLeaseSeconds: 20 } },
      /claimLeaseSeconds: 20 must exceed the ingest function's timeout \(30 s\)/,
    ],
    [{ stackName: 'my stack' }, /CloudFormation stack name/],
    [{ colour: 'blue' }, /Unrecognized key: "colour"/],
  ])('refuses %j with a clear reason', (input, reason) => {
    expect(issuesOf(input).join('\n')).toMatch(reason);
  });

  it('requires a human approval for SEV1-3 whenever an action may run', () => {
    expect(
      issuesOf({
        mitigation: { enabledActions: ['restart'] },
        resources: { payments: { ecs: { cluster: 'prod', service: 'payments' } } },
        response: { approvalRequiredFor: ['SEV1'] },
      }),
    ).toEqual([
      "response.approvalRequiredFor: with actions enabled, SEV2, SEV3 must still need a human's approval",
    ]);
  });

  it('names the file and every problem when loading, and refuses unreadable JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firebreak-config-'));
    try {
      const bad = join(dir, 'bad.json');
      await writeFile(
        bad,
        JSON.stringify({ retention: { logDays: 45 }, subscribers: { oncall: [{ sms: 'x' }] } }),
      );
      expect(() => loadDeployConfig(bad)).toThrow(DeployConfigError);
      const message = (() => {
        try {
          loadDeployConfig(bad);
        } catch (err) {
          return (err as Error).message;
        }
      })();
      expect(message).toContain(`invalid Firebreak deploy configuration (${bad}):`);
      expect(message).toMatch(/\n {2}- subscribers\.oncall\.0\.sms: .*E\.164/);
      expect(message).toMatch(/\n {2}- retention\.logDays: CloudWatch Logs keeps logs for one of/);
      const broken = join(dir, 'broken.json');
      await writeFile(broken, '{ "subscribers": ');
      expect(() => loadDeployConfig(broken)).toThrow(/not valid JSON/);
      expect(() => loadDeployConfig(join(dir, 'missing.json'))).toThrow(/no such file/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a watch that would outgrow the 25,000-event history or the 24 h execution timeout', () => {
    // Step Functions service quotas: 25,000 history events per execution; the ASL's TimeoutSeconds.
    const dense = issuesOf({ response: { checkIntervalSeconds: 20, monitorDeadlineMinutes: 1200 } });
    expect(dense).toEqual([
      expect.stringMatching(
        /^response\.checkIntervalSeconds: checking every 20 s for 1200 min builds up to 3\d{4} execution history events; Step Functions fails an execution past 25000/,
      ),
    ]);
    const sparse = parseDeployConfig({
      response: { checkIntervalSeconds: 60, monitorDeadlineMinutes: 1200 },
    });
    expect(historyEstimate(sparse.runtime)).toBeLessThan(25_000);
    const long = issuesOf({ response: { monitorDeadlineMinutes: 24 * 60 } });
    expect(long).toEqual([
      expect.stringMatching(
        /^response\.monitorDeadlineMinutes: 1440 min of watching.*exceed the execution timeout \(86400 s.*TIMED_OUT with no hand-off and no postmortem/,
      ),
    ]);
    // The defaults fit both with room to spare.
    expect(historyEstimate(parseDeployConfig({}).runtime)).toBeLessThan(2_000);
    expect(issuesOf({ response: { monitorDeadlineMinutes: 22 * 60 } })).toEqual([]);
  });
});
