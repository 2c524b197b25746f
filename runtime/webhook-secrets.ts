/**
 * Webhook secrets: `{pagerduty, alertmanager, grafana, sns}`, each one secret or a list (several
 * during a rotation). In AWS they are one Secrets Manager secret (WEBHOOK_SECRETS_ARN), re-read
 * every five minutes so a rotation takes effect without a deploy; locally they come from the
 * FIREBREAK_WEBHOOK_SECRETS environment variable.
 */
import * as z from 'zod';
import { describeIssues, ValidationError } from '../domain/errors.js';
import { parsedSecret, type SecretReader } from './secrets.js';

const Secret = z
  .union([z.string().min(16), z.array(z.string().min(16)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

export const WebhookSecrets = z.object({
  pagerduty: Secret.optional(),
  alertmanager: Secret.optional(),
  grafana: Secret.optional(),
  sns: Secret.optional(),
});
export type WebhookSecrets = z.infer<typeof WebhookSecrets>;
export type WebhookName = keyof WebhookSecrets;

export function parseWebhookSecrets(text: string | undefined): WebhookSecrets {
  if (!text?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('webhook secrets are not JSON');
  }
  const parsed = WebhookSecrets.safeParse(json);
  if (!parsed.success) {
    // Never echo the values: only which field is wrong.
    throw new ValidationError(
      'invalid webhook secrets (each is a string of 16+ characters or a list of them)',
      describeIssues(parsed.error.issues.map((i) => ({ path: i.path, message: 'invalid' }))),
    );
  }
  return parsed.data;
}

/** The webhook secrets in a Secrets Manager secret, through the cached reader (runtime/secrets.ts). */
export function webhookSecretsFrom(read: SecretReader, secretId: string): () => Promise<WebhookSecrets> {
  return parsedSecret(read, secretId, parseWebhookSecrets);
}
