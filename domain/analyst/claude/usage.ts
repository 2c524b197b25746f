/**
 * Token accounting. `input` counts every input token the model processed — uncached, written to the
 * cache and read from it — so it is comparable across runs whether or not the cache was warm;
 * `cachedInput` is the part read from the prompt cache (`cache_read_input_tokens`, billed at about a
 * tenth). Cache writes are in `input` but not in `cachedInput`: they cost more than plain input, not
 * less, so counting them as "cached" would overstate the saving.
 */
import type { TokenUsage } from '../../model.js';
import type { Message } from './client.js';

export const ZERO_USAGE: TokenUsage = { input: 0, cachedInput: 0, output: 0 };

export function usageOf(message: Pick<Message, 'usage'>): TokenUsage {
  const u = message.usage;
  const cacheRead = u?.cache_read_input_tokens ?? 0;
  const cacheWrite = u?.cache_creation_input_tokens ?? 0;
  return {
    input: (u?.input_tokens ?? 0) + cacheRead + cacheWrite,
    cachedInput: cacheRead,
    output: u?.output_tokens ?? 0,
  };
}

export const addUsage = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
  input: a.input + b.input,
  cachedInput: a.cachedInput + b.cachedInput,
  output: a.output + b.output,
});

/** Tokens that count against a step's budget: what was processed plus what was written. */
export const spent = (u: TokenUsage): number => u.input + u.output;
