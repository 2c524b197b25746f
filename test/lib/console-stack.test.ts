/**
 * The web console in the stack (lib/console.ts): absent by default; with a `console` section, one
 * function behind /console routes that all carry an authorizer (a Cognito pool the stack creates,
 * or JWTs from a configured OIDC issuer), least privilege, and a clean cdk-nag run.
 */
import { describe, expect, it } from 'vitest';
import { memoryKeys } from '../../domain/memory/records.js';
import { parseDeployConfig } from '../../lib/config.js';
import { MEMORY_PARTITIONS } from '../../lib/console.js';
import { UNSCOPABLE } from '../../lib/permissions.js';
import { iamViolations, identityStatements } from './iam.js';
import { nagFindings, ofType, type Synthesized, synthesize } from './synth.js';

const consoleFn = (s: Synthesized) => {
  const found = ofType(s.json, 'AWS::Lambda::Function').find(
    ([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'firebreak-console-api',
  );
  if (!found) throw new Error('no console function');
  return found;
};

const routes = (s: Synthesized) =>
  ofType(s.json, 'AWS::ApiGatewayV2::Route').filter(([, r]) =>
    String(r.Properties.RouteKey).includes('/console'),
  );

describe('console in the stack', () => {
  it('is not deployed without a console section', () => {
    const s = synthesize({});
    expect(routes(s)).toEqual([]);
    expect(ofType(s.json, 'AWS::Cognito::UserPool')).toEqual([]);
  });

  it('with no issuer: a Cognito pool (no self sign-up, MFA on) authorizes every console route; nag and IAM clean', () => {
    const s = synthesize({ console: {} });
    const [pool] = ofType(s.json, 'AWS::Cognito::UserPool');
    expect(pool[1].Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool[1].Properties.MfaConfiguration).toBe('ON');
    const [authorizer] = ofType(s.json, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer[1].Properties.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer[1].Properties.JwtConfiguration.Issuer)).toContain('cognito-idp');
    const consoleRoutes = routes(s);
    expect(consoleRoutes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      ['GET /console', 'GET /console/{proxy+}', 'POST /console', 'POST /console/{proxy+}'].sort(),
    );
    for (const [, r] of consoleRoutes) expect(r.Properties.AuthorizationType).toBe('JWT');
    expect(nagFindings(s.stack)).toEqual([]);
    expect(iamViolations(s.json.Resources, UNSCOPABLE)).toEqual([]);
  });

  it('reads the table, answers approvals, indexes memory and looks up its own executions, and nothing more', () => {
    const s = synthesize({ console: {} });
    const [, fn] = consoleFn(s);
    const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
    const holders = new Set([
      role,
      ...ofType(s.json, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
        .map(([pid]) => pid),
    ]);
    const statements = identityStatements(s.json.Resources).filter((st) => holders.has(st.holder));
    const actions = statements.flatMap((st) => [st.statement.Action].flat() as string[]).sort();
    expect(actions.length).toBeGreaterThan(5);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    expect(actions.filter((a) => a.startsWith('states:'))).toEqual(
      expect.arrayContaining([
        'states:DescribeExecution',
        'states:SendTaskFailure',
        'states:SendTaskSuccess',
      ]),
    );
    // A close asks whether the incident's execution runs: executions of this state machine only.
    const describe = statements.filter((st) =>
      [st.statement.Action].flat().includes('states:DescribeExecution'),
    );
    expect(describe.map((st) => st.statement.Action)).toEqual(['states:DescribeExecution']);
    const resource = JSON.stringify(describe[0].statement.Resource);
    expect(resource).toContain(':execution:');
    const [[machine]] = ofType(s.json, 'AWS::StepFunctions::StateMachine');
    expect(resource).toContain(`":execution:",{"Fn::GetAtt":["${machine}","Name"]},":*"]`);
    expect(fn.Properties.Environment.Variables.STATE_MACHINE_ARN).toEqual({
      Ref: machine,
    });
    expect(
      actions.some((a) => /^(sns|lambda|ecs|wafv2|appconfig|dynamodb:Delete|states:Start)/.test(a)),
    ).toBe(false);
    // Batch writes (a review re-indexing memory) reach memory partitions only, never an incident.
    const batch = statements.filter((st) => [st.statement.Action].flat().includes('dynamodb:BatchWriteItem'));
    expect(batch.map((st) => [st.statement.Action, st.statement.Condition])).toEqual([
      ['dynamodb:BatchWriteItem', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MEM#*'] } }],
    ]);
    for (const key of [memoryKeys.fingerprint('fp'), memoryKeys.service('svc'), memoryKeys.category('code')])
      expect(key.startsWith(MEMORY_PARTITIONS.replace('*', ''))).toBe(true);
  });

  it('with an OIDC issuer: a JWT authorizer on that issuer and audience, no user pool', () => {
    const s = synthesize({
      console: { issuer: 'https://login.example.com/', audience: ['firebreak-console'] },
    });
    expect(ofType(s.json, 'AWS::Cognito::UserPool')).toEqual([]);
    const [authorizer] = ofType(s.json, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer[1].Properties.JwtConfiguration).toEqual({
      Issuer: 'https://login.example.com/',
      Audience: ['firebreak-console'],
    });
    expect(nagFindings(s.stack)).toEqual([]);
  });

  it('refuses an issuer without an audience, an audience without an issuer, and plain http', () => {
    expect(() => parseDeployConfig({ console: { issuer: 'https://login.example.com/' } })).toThrow(
      /console.audience/,
    );
    expect(() => parseDeployConfig({ console: { audience: ['x'] } })).toThrow(/only with console.issuer/);
    expect(() =>
      parseDeployConfig({ console: { issuer: 'http://login.example.com/', audience: ['x'] } }),
    ).toThrow(/https/);
  });
});
