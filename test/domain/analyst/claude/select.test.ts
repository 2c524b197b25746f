import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tolerantEvidence } from '../../../../adapters/aws/evidence/tolerant.js';
import { ClaudeAnalyst } from '../../../../domain/analyst/claude/index.js';
import { ValidationError } from '../../../../domain/errors.js';
import { noEvidence } from '../../../../domain/evidence/unavailable.js';
import { awsAnalyst, keyFromSecret, selectLocalAnalyst } from '../../../../runtime/analyst.js';
import { secretReader } from '../../../../runtime/secrets.js';
import { type FakeServer, startFakeMessagesApi } from './fake-messages-api.js';
import { fixture, scenarioContext } from './scenario-context.js';
import { scriptedModel } from './scripted-models.js';

const secrets = mockClient(SecretsManagerClient);
let server: FakeServer;
beforeEach(async () => {
  secrets.reset();
  server = await startFakeMessagesApi(scriptedModel());
});
afterEach(() => server.close());

describe('choosing the analyst locally', () => {
  it('uses the offline analyst unless a key is set, and refuses claude without one', () => {
    expect(selectLocalAnalyst('auto', {}).name).toBe('offline');
    expect(selectLocalAnalyst('offline', { ANTHROPIC_API_KEY: 'k' }).name).toBe('offline');
    expect(() => selectLocalAnalyst('claude', { ANTHROPIC_API_KEY: ' ' })).toThrow(ValidationError);
    expect(() => selectLocalAnalyst('maybe' as never, {})).toThrow(/--analyst must be one of/);
  });

  it('uses Claude with a key, with the models the environment names', () => {
    const selection = selectLocalAnalyst('auto', {
      ANTHROPIC_API_KEY: 'k',
      FAST_MODEL: 'f',
      STRONG_MODEL: 's',
    });
    expect(selection.name).toBe('claude');
    const analyst = selection.factory(noEvidence) as ClaudeAnalyst;
    expect(analyst).toBeInstanceOf(ClaudeAnalyst);
    expect([analyst.options.fastModel, analyst.options.strongModel]).toEqual(['f', 's']);
  });

  it('uses Claude on Bedrock without a key, with Bedrock model ids', () => {
    const selection = selectLocalAnalyst('claude', { MODEL_PROVIDER: 'bedrock' });
    const analyst = selection.factory(noEvidence) as ClaudeAnalyst;
    expect(analyst.options.fastModel).toMatch(/^anthropic\./);
  });
});

describe('choosing the analyst in AWS', () => {
  const { env, ctx } = scenarioContext(fixture('checkout-deploy.json'));
  const aws = (extra: Record<string, string>) =>
    awsAnalyst(env, {
      env: { ANTHROPIC_BASE_URL: server.url, ...extra },
      secrets: secretReader(new SecretsManagerClient({ region: 'us-east-1' })),
    });

  it('reads the key from the secret once, then answers with Claude', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ apiKey: 'from-secret' }) });
    const analyst = aws({ ANTHROPIC_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:k' });
    expect(analyst.name).toBe('auto');
    const first = await analyst.triage(ctx);
    await analyst.investigate('changes', ctx);
    expect(analyst.name).toBe('claude');
    expect(first.degraded).toBeFalsy();
    expect(first.usage?.output).toBeGreaterThan(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(JSON.stringify(server.requests[0].headers)).toContain('from-secret');
  });

  it('stays offline without a secret or with an empty one', async () => {
    expect(aws({}).name).toBe('offline');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    const analyst = aws({ ANTHROPIC_SECRET_ARN: 'arn:secret' });
    const result = await analyst.triage(ctx);
    expect(analyst.name).toBe('offline');
    expect(result.degraded).toBeFalsy();
    expect(server.requests).toHaveLength(0);
  });

  it('answers offline, degraded, while the secret cannot be read, and tries again next time', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: 'sk-key' });
    const analyst = aws({ ANTHROPIC_SECRET_ARN: 'arn:secret' });
    expect((await analyst.triage(ctx)).degraded).toBe(true);
    expect(server.requests).toHaveLength(0);
    expect((await analyst.triage(ctx)).degraded).toBeFalsy();
    expect(analyst.name).toBe('claude');
  });

  it('takes the key as the bare secret or JSON', () => {
    expect(keyFromSecret('sk-ant-1\n')).toBe('sk-ant-1');
    expect(keyFromSecret('{"ANTHROPIC_API_KEY":"sk-2"}')).toBe('sk-2');
    expect(keyFromSecret('{"other":"x"}')).toBeUndefined();
    expect(keyFromSecret('{broken')).toBeUndefined();
    expect(keyFromSecret(undefined)).toBeUndefined();
  });
});

describe('tolerant evidence', () => {
  it('answers empty for a source that fails, reports it, and never softens the recovery check', async () => {
    const failures: string[] = [];
    const evidence = tolerantEvidence(
      {
        ...noEvidence,
        metrics: async () => {
          throw new Error('AccessDenied');
        },
        alarmState: async () => {
          throw new Error('throttled');
        },
      },
      (question, err) => failures.push(`${question}: ${(err as Error).message}`),
    );
    const window = { from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z' };
    expect(await evidence.metrics(window)).toEqual([]);
    expect(failures).toEqual(['metrics: AccessDenied']);
    await expect(evidence.alarmState({ service: 'x' })).rejects.toThrow('throttled');
  });
});
