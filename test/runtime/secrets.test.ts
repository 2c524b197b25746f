/**
 * The one secret reader (Powertools Parameters over a Secrets Manager client): each secret fetched
 * once within its maximum age and again after it, failures not cached, and the SDK's own error
 * surfaced so throttling is still retried by name. Secrets Manager is mocked at the SDK boundary.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { SECRET_MAX_AGE_SECONDS, secretKeySource, secretReader } from '../../runtime/secrets.js';
import { webhookSecretsFrom } from '../../runtime/webhook-secrets.js';

const sm = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'eu-west-1' });
const calls = (id?: string) =>
  sm.commandCalls(GetSecretValueCommand).filter((c) => !id || c.args[0].input.SecretId === id).length;

beforeEach(() => {
  sm.reset();
  // Only the clock: promises and the SDK's own timers run as usual.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

describe('the secret reader', () => {
  it('fetches a secret once within its maximum age, then again after it (a rotation lands)', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'arn:key' })
      .resolvesOnce({ SecretString: 'first' })
      .resolves({ SecretString: 'rotated' });
    const read = secretReader(client());
    expect(await read('arn:key')).toBe('first');
    later(SECRET_MAX_AGE_SECONDS - 1);
    expect(await read('arn:key')).toBe('first');
    expect(calls('arn:key')).toBe(1);
    later(2);
    expect(await read('arn:key')).toBe('rotated');
    expect(calls('arn:key')).toBe(2);
  });

  it('keeps each secret under its own id', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: 'value-a' });
    sm.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: 'value-b' });
    const read = secretReader(client());
    expect([await read('a'), await read('b'), await read('a')]).toEqual(['value-a', 'value-b', 'value-a']);
    expect([calls('a'), calls('b')]).toEqual([1, 1]);
  });

  it('reads a binary secret as UTF-8 text, and an empty one as undefined', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'bin' }).resolves({
      SecretBinary: new TextEncoder().encode('k'.repeat(40)),
    });
    sm.on(GetSecretValueCommand, { SecretId: 'empty' }).resolves({ SecretString: '' });
    const read = secretReader(client());
    expect(await read('bin')).toBe('k'.repeat(40));
    expect(await read('empty')).toBeUndefined();
  });

  it('throws the SDK error of a failed read (its name decides a retry) and caches nothing', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sm.on(GetSecretValueCommand).rejectsOnce(throttled).resolves({ SecretString: 'after' });
    const read = secretReader(client());
    await expect(read('arn:key')).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(await read('arn:key')).toBe('after');
    expect(calls()).toBe(2);
  });
});

describe('what the wiring reads through it', () => {
  it('the approval link key: at least 32 bytes, read once per maximum age', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'link-key' }).resolves({ SecretString: 'L'.repeat(64) });
    sm.on(GetSecretValueCommand, { SecretId: 'short-key' }).resolves({ SecretString: 'too short' });
    const read = secretReader(client());
    const keys = secretKeySource(read, 'link-key');
    expect(Buffer.from(await keys.key()).toString()).toBe('L'.repeat(64));
    await keys.key();
    expect(calls('link-key')).toBe(1);
    await expect(secretKeySource(read, 'short-key').key()).rejects.toThrow(
      new ValidationError('the approval link secret must hold at least 32 characters'),
    );
  });

  it('the webhook secrets: parsed into lists, an invalid document refused without echoing it', async () => {
    const pagerduty = 'p'.repeat(24);
    sm.on(GetSecretValueCommand, { SecretId: 'hooks' }).resolves({
      SecretString: JSON.stringify({ pagerduty }),
    });
    sm.on(GetSecretValueCommand, { SecretId: 'bad-hooks' }).resolves({ SecretString: '{"grafana":"short"}' });
    const read = secretReader(client());
    const hooks = webhookSecretsFrom(read, 'hooks');
    expect(await hooks()).toEqual({ pagerduty: [pagerduty] });
    expect(await hooks()).toEqual({ pagerduty: [pagerduty] });
    expect(calls('hooks')).toBe(1);
    const bad = webhookSecretsFrom(read, 'bad-hooks')();
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.not.toThrow(/short/);
  });
});
