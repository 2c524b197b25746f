/**
 * One turn of the model loop, bounded before it is sent: the request's size against the context window
 * and the token budget, the cache breakpoint, the tool calls it may run and the deadline they share.
 */
import type { TokenUsage } from '../../model.js';
import type { CreateParams, MessageParam, ToolResultBlockParam } from './client.js';
import { ModelStepError } from './errors.js';
import type { LoopSpec } from './loop.js';
import type { ToolExecutor } from './tools.js';

/** Prompt caching marks a block with this. */
export const EPHEMERAL = { type: 'ephemeral' as const };

/** Copies the conversation with a single cache breakpoint on the newest user turn's last block. */
export function withBreakpoint(messages: MessageParam[]): MessageParam[] {
  return messages.map((m, i) => {
    if (i !== messages.length - 1 || m.role !== 'user' || typeof m.content === 'string') return m;
    const blocks = [...m.content];
    const last = blocks.at(-1);
    if (last && last.type !== 'thinking' && last.type !== 'redacted_thinking') {
      blocks[blocks.length - 1] = { ...last, cache_control: EPHEMERAL } as (typeof blocks)[number];
    }
    return { ...m, content: blocks };
  });
}

/** The first balanced JSON object in a text answer (for models that answer in text, not the tool). */
export function jsonFromText(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const candidate = fenced ? fenced[1] : text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('no JSON object in the answer');
  return JSON.parse(candidate.slice(start, end + 1));
}

/**
 * Tokens a request will take, estimated from its characters (about 3.5 per token for this mix of
 * English, JSON and ids; generous, so the bounds err on the side of stopping). An estimate, not a
 * count: the SDK's count_tokens would be one more API call per turn.
 */
export const estimateTokens = (body: Pick<CreateParams, 'system' | 'tools' | 'messages'>): number =>
  Math.ceil(JSON.stringify([body.system ?? '', body.tools ?? [], body.messages]).length / 3.5);

/**
 * The hard bound before a call: the request plus its longest answer must fit the model's context
 * window and what is left of the step's token budget. Returns the estimate, or throws `budget`.
 */
export function guardRequest(
  body: Pick<CreateParams, 'system' | 'tools' | 'messages' | 'max_tokens'>,
  limits: { contextTokens: number; tokenBudget: number; spent: number },
  usage: TokenUsage,
): number {
  const estimate = estimateTokens(body);
  if (estimate + body.max_tokens > limits.contextTokens) {
    throw new ModelStepError(
      'budget',
      `the next request (~${estimate} tokens, estimated) would not fit the model's ${limits.contextTokens}-token context; not sent`,
      usage,
    );
  }
  if (limits.spent + estimate + body.max_tokens > limits.tokenBudget) {
    throw new ModelStepError(
      'budget',
      `the next request (~${estimate} tokens, estimated) would take the step past its ${limits.tokenBudget}-token budget (${limits.spent} spent); not sent`,
      usage,
    );
  }
  return estimate;
}

/** Whether the next request would cross the budget if tools were still offered: then it is the last. */
export const nearBudget = (
  estimate: number,
  spec: { tokenBudget: number; maxOutputTokens: number },
  used: number,
) =>
  used >= spec.tokenBudget * 0.75 ||
  used + estimate + spec.maxOutputTokens * 2 + estimate / 4 > spec.tokenBudget;

/**
 * Runs the tool calls of one turn within the turn's bounds: at most `maxCalls` run (the rest are
 * answered "not run"), and the turn's character budget is shared among those that run. Duplicates
 * are answered from the executor's cache.
 */
export async function runToolCalls(
  uses: Array<{ id: string; name: string; input: unknown }>,
  executor: ToolExecutor | undefined,
  bounds: { maxCalls: number; maxChars: number },
): Promise<ToolResultBlockParam[]> {
  const running = uses.slice(0, bounds.maxCalls);
  const share = Math.floor(bounds.maxChars / Math.max(1, running.length));
  return Promise.all(
    uses.map(async (u, i) => {
      if (i >= bounds.maxCalls) {
        return {
          type: 'tool_result' as const,
          tool_use_id: u.id,
          is_error: true,
          content: `Not run: at most ${bounds.maxCalls} tool calls run per turn (${uses.length} asked). Ask fewer, narrower questions.`,
        };
      }
      const outcome = executor
        ? await executor.run(u.name, u.input, { maxChars: share, toolUseId: u.id })
        : { isError: true, content: 'no tools are available in this step' };
      return {
        type: 'tool_result' as const,
        tool_use_id: u.id,
        content: outcome.content,
        ...(outcome.isError ? { is_error: true } : {}),
      };
    }),
  );
}

/** Thinking and effort as the request states them: explicit, never the model's unseen default. */
export function thinkingParams(spec: Pick<LoopSpec<unknown>, 'thinking' | 'effort'>): Partial<CreateParams> {
  return {
    thinking: spec.thinking === 'adaptive' ? { type: 'adaptive' } : { type: 'disabled' },
    ...(spec.effort ? { output_config: { effort: spec.effort } } : {}),
  };
}

/**
 * Settles with `work`, or rejects as a timeout once `signal` aborts: an evidence tool that hangs must
 * not hold the step past its deadline any more than the model may.
 */
export function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal, usage: TokenUsage): Promise<T> {
  if (signal.aborted) return Promise.reject(new ModelStepError('timeout', 'the step ran out of time', usage));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(new ModelStepError('timeout', 'the step ran out of time while its tools ran', usage));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
