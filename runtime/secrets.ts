/**
 * Secrets Manager values for the Lambda wiring: the webhook secrets, the approval link key and the
 * Anthropic API key. One reader with one cache (Powertools Parameters), so each secret is fetched
 * once per execution environment and then again only after `maxAgeSeconds`: a rotation takes
 * effect within minutes, without a deploy or a cold start.
 */
import { GetParameterError } from '@aws-lambda-powertools/parameters';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MIN_KEY_BYTES } from '../domain/approval/links.js';
import { ValidationError } from '../domain/errors.js';
import type { SigningKeySource } from '../domain/ports.js';

/** The text of a secret (its SecretString, or its SecretBinary as UTF-8); undefined when empty. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

/** How long a value read is kept: what the three hand-made caches used before. */
export const SECRET_MAX_AGE_SECONDS = 300;

/**
 * A reader over the given client (traced in Lambda, mocked in tests). A failed read is not cached:
 * the next call asks again. The SDK's own error is thrown, not Powertools' wrapper, so a throttled
 * read still reaches the transient-error mapping by its name (runtime/middleware.ts).
 */
export function secretReader(
  client: SecretsManagerClient,
  maxAgeSeconds = SECRET_MAX_AGE_SECONDS,
): SecretReader {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async (secretId) => {
    let value: string | Uint8Array | undefined;
    try {
      value = await provider.get(secretId, { maxAge: maxAgeSeconds });
    } catch (err) {
      throw err instanceof GetParameterError && err.cause instanceof Error ? err.cause : err;
    }
    const text = typeof value === 'string' ? value : value ? Buffer.from(value).toString('utf8') : '';
    return text || undefined;
  };
}

/** A reader whose parse runs once per value read, not once per call (webhook secrets per request). */
export function parsedSecret<T>(
  read: SecretReader,
  secretId: string,
  parse: (text: string | undefined) => T,
): () => Promise<T> {
  let last: { text: string | undefined; value: T } | undefined;
  return async () => {
    const text = await read(secretId);
    if (!last || last.text !== text) last = { text, value: parse(text) };
    return last.value;
  };
}

/** The approval link key from a secret (its text, at least MIN_KEY_BYTES bytes). */
export function secretKeySource(read: SecretReader, secretId: string): SigningKeySource {
  const key = parsedSecret(read, secretId, (text) => {
    const bytes = Buffer.from(text ?? '', 'utf8');
    if (bytes.length < MIN_KEY_BYTES) {
      throw new ValidationError(`the approval link secret must hold at least ${MIN_KEY_BYTES} characters`);
    }
    return bytes;
  });
  return { key };
}
