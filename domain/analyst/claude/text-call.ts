/** One tool-less model call whose answer is prose (the postmortem). Same limits and failure rules. */
import type { TokenUsage } from '../../model.js';
import type { ContentBlock, MessagesClient } from './client.js';
import { classify, ModelStepError } from './errors.js';
import { usageOf } from './usage.js';

export async function runTextCall(spec: {
  client: MessagesClient;
  model: string;
  system: string;
  prompt: string;
  maxOutputTokens: number;
  timeoutMs: number;
  minChars: number;
}): Promise<{ text: string; usage: TokenUsage }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.timeoutMs);
  timer.unref?.();
  try {
    const res = await spec.client.messages
      .create(
        {
          model: spec.model,
          max_tokens: spec.maxOutputTokens,
          system: [{ type: 'text', text: spec.system, cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: spec.prompt }],
        },
        { signal: controller.signal },
      )
      .then(undefined, (err: unknown) => {
        // An abort can surface as the SDK's error or, mid-body, as the stream's own AbortError.
        if (controller.signal.aborted)
          throw new ModelStepError('timeout', 'the model did not answer in time');
        throw classify(err);
      });
    const usage = usageOf(res);
    if (res.stop_reason === 'refusal')
      throw new ModelStepError('refusal', 'the model declined to answer', usage);
    const text = ((res.content ?? []) as ContentBlock[])
      .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
      .map((b) => b.text)
      .join('\n')
      .trim();
    if (res.stop_reason === 'max_tokens') {
      throw new ModelStepError('invalid-output', 'the answer was cut off at max_tokens', usage);
    }
    if (text.length < spec.minChars) {
      throw new ModelStepError(
        'invalid-output',
        `the answer is too short (${text.length} characters)`,
        usage,
      );
    }
    return { text, usage };
  } finally {
    clearTimeout(timer);
  }
}
