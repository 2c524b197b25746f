/**
 * The stack as a first-time, non-production deployment configures it: defaults everywhere except
 * Bedrock for the models and `destroy` on removal. Synthesized once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PHASES, type PhaseKey } from '../../lambdas/phases.js';
import { UNSCOPABLE } from '../../lib/permissions.js';
import { PHASE_PROFILES } from '../../lib/profiles.js';
import { ENV } from '../../runtime/env.js';
import { iamViolations } from './iam.js';
import { nagFindings, ofType, type Synthesized, synthesize } from './synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synthesize({
    stackName: 'FirebreakDev',
    removalPolicy: 'destroy',
    model: {
      provider: 'bedrock',
      fastModel: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      strongModel: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    },
  });
}, 120_000);

const functionByService = (name: string) => {
  const found = ofType(s.json, 'AWS::Lambda::Function').find(
    ([, r]) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === `firebreak-${name}`,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found;
};
const statementsOf = (fnId: string) => {
  const roleId = s.json.Resources[fnId].Properties.Role['Fn::GetAtt'][0];
  return ofType(s.json, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(
      ([, p]) =>
        p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>,
    );
};

describe('a development deployment', () => {
  it('destroys the table and its key with the stack, without deletion protection', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
    for (const [id, key] of ofType(s.json, 'AWS::KMS::Key')) expect(key.DeletionPolicy, id).toBe('Delete');
  });

  it('invokes exactly the configured Bedrock models and keeps no Anthropic key', () => {
    expect(ofType(s.json, 'AWS::SecretsManager::Secret').map(([id]) => id)).not.toContainEqual(
      expect.stringMatching(/Anthropic/),
    );
    for (const [key, phase] of Object.entries(PHASES) as Array<[PhaseKey, (typeof PHASES)[PhaseKey]]>) {
      const [id, fn] = functionByService(phase.dir);
      const invoke = statementsOf(id).find((st) => [st.Action].flat().includes('bedrock:InvokeModel'));
      if (!PHASE_PROFILES[key].analyst) {
        expect(invoke, phase.dir).toBeUndefined();
        continue;
      }
      expect(fn.Properties.Environment.Variables).toMatchObject({
        [ENV.modelProvider]: 'bedrock',
        [ENV.fastModel]: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
        [ENV.strongModel]: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      });
      const arns = JSON.stringify(invoke?.Resource);
      expect(arns).toContain(':inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(arns).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(arns).toContain(':bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(arns).toContain('::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(arns).not.toContain('foundation-model/*');
    }
  });

  it('grants no mitigation action when none is enabled, and no Logs Insights without a catalog', () => {
    const [mitigateId] = functionByService('mitigate');
    const actions = statementsOf(mitigateId).flatMap((st) => [st.Action].flat());
    expect(actions.filter((a) => /^(ecs|lambda|appconfig|wafv2):|RotateSecret/.test(a))).toEqual([]);
    const [investigateId] = functionByService('investigate');
    const evidence = statementsOf(investigateId).flatMap((st) => [st.Action].flat());
    expect(evidence).toContain('cloudwatch:GetMetricData');
    expect(evidence).not.toContain('logs:StartQuery');
  });

  it('subscribes nobody it was not told about, and stays least-privilege and cdk-nag clean', () => {
    s.template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(iamViolations(s.json.Resources, UNSCOPABLE)).toEqual([]);
    expect(nagFindings(s.stack)).toEqual([]);
  });

  it('names its ops alarms after the stack so ingestion ignores them', () => {
    const [, rule] = ofType(s.json, 'AWS::Events::Rule')[0];
    expect(rule.Properties.EventPattern.detail.alarmName).toEqual([
      { 'anything-but': { prefix: 'FirebreakDev-ops-' } },
    ]);
    for (const [, alarm] of ofType(s.json, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmName).toMatch(/^FirebreakDev-ops-/);
    }
  });
});
