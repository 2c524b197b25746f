/**
 * The one call the Claude analyst makes, as a port: `messages.create`. The Anthropic API client and
 * the Bedrock client both satisfy it, and so does anything a test points at a fake server. The
 * factories here are wiring (called by select.ts and the Lambda ports), never by analysis code.
 */
import Anthropic from '@anthropic-ai/sdk';

export type Message = Anthropic.Messages.Message;
export type MessageParam = Anthropic.Messages.MessageParam;
export type CreateParams = Anthropic.Messages.MessageCreateParamsNonStreaming;
export type Tool = Anthropic.Messages.Tool;
export type ContentBlock = Anthropic.Messages.ContentBlock;
export type ToolResultBlockParam = Anthropic.Messages.ToolResultBlockParam;

export interface MessagesClient {
  messages: {
    create(body: CreateParams, options?: { signal?: AbortSignal }): PromiseLike<Message>;
  };
}

export interface ClientSettings {
  /** A key, or a function that fetches one (for example from Secrets Manager) before each request. */
  apiKey?: string | (() => Promise<string>);
  /** Overrides the API endpoint: tests and the benchmark point it at a fake server on 127.0.0.1. */
  baseURL?: string;
  /** Per-request timeout (the SDK's own), in milliseconds. */
  timeoutMs?: number;
  /** How often the SDK retries 408/409/429/5xx (with backoff) before the analyst falls back. */
  maxRetries?: number;
}

const wrap = (client: {
  messages: { create(body: CreateParams, options?: { signal?: AbortSignal }): PromiseLike<Message> };
}): MessagesClient => ({
  messages: { create: (body, options) => client.messages.create(body, options) },
});

/** The Anthropic API (api.anthropic.com unless `baseURL` says otherwise). */
export function anthropicClient(settings: ClientSettings): MessagesClient {
  if (!settings.apiKey) throw new Error('anthropicClient needs an API key');
  return wrap(
    new Anthropic({
      apiKey: settings.apiKey,
      baseURL: settings.baseURL,
      timeout: settings.timeoutMs ?? 60_000,
      maxRetries: settings.maxRetries ?? 2,
    }),
  );
}

/**
 * Claude on Amazon Bedrock, signed with the Lambda's own AWS credentials (no key to store). The SDK is
 * imported on first use so that functions which never call a model do not pay for loading it.
 */
export function bedrockClient(
  settings: ClientSettings & { region?: string; skipAuth?: boolean },
): MessagesClient {
  let client: Promise<MessagesClient> | undefined;
  const load = () => {
    client ??= import('@anthropic-ai/bedrock-sdk').then(({ AnthropicBedrock }) =>
      wrap(
        new AnthropicBedrock({
          awsRegion: settings.region,
          baseURL: settings.baseURL,
          skipAuth: settings.skipAuth,
          apiKey: null,
          timeout: settings.timeoutMs ?? 60_000,
          maxRetries: settings.maxRetries ?? 2,
        }),
      ),
    );
    return client;
  };
  return { messages: { create: async (body, options) => (await load()).messages.create(body, options) } };
}
