/**
 * The bounded tool-use loop every model step runs: call the model, run the tools it asks for, feed
 * the results back, until it calls the submit tool. Bounded by steps, tokens and wall-clock time; an
 * answer that does not parse gets one chance to be corrected, then the step fails.
 *
 * Prompt caching: the system prompt and the tool definitions are static and carry `cache_control`, and
 * a moving breakpoint on the newest user turn lets each later call in the loop read the conversation so
 * far from the cache instead of paying for it again.
 */
import type * as z from 'zod';
import { describeIssues } from '../../errors.js';
import type { TokenUsage } from '../../model.js';
import type {
  ContentBlock,
  Message,
  MessageParam,
  MessagesClient,
  Tool,
  ToolResultBlockParam,
} from './client.js';
import { classify, ModelStepError } from './errors.js';
import { jsonSchema, type ToolExecutor } from './tools.js';
import { addUsage, spent, usageOf, ZERO_USAGE } from './usage.js';

const EPHEMERAL = { type: 'ephemeral' as const };

export interface LoopSpec<T> {
  client: MessagesClient;
  model: string;
  /** Static system prompt (cached). */
  system: string;
  /** Evidence tools for this step; the submit tool is added last. */
  tools: Tool[];
  executor?: ToolExecutor;
  submit: { name: string; description: string; schema: z.ZodType<T> };
  /** The incident-specific opening message (already wrapped as data where untrusted). */
  prompt: string;
  maxSteps: number;
  tokenBudget: number;
  maxOutputTokens: number;
  timeoutMs: number;
  /** Called once per model call with its wall time: the benchmark and logs use it. */
  onCall?: (info: { model: string; ms: number; usage: TokenUsage; stop: string | null }) => void;
}

export interface LoopResult<T> {
  value: T;
  usage: TokenUsage;
  calls: number;
}

/** Copies the conversation with a single cache breakpoint on the newest user turn's last block. */
function withBreakpoint(messages: MessageParam[]): MessageParam[] {
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
 * Settles with `work`, or rejects as a timeout once `signal` aborts: an evidence tool that hangs must
 * not hold the step past its deadline any more than the model may.
 */
function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal, usage: TokenUsage): Promise<T> {
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

export async function runLoop<T>(spec: LoopSpec<T>): Promise<LoopResult<T>> {
  const submitTool: Tool = {
    name: spec.submit.name,
    description: spec.submit.description,
    input_schema: jsonSchema(spec.submit.schema),
  };
  const tools = [...spec.tools, submitTool];
  tools[tools.length - 1] = { ...tools[tools.length - 1], cache_control: EPHEMERAL };
  const system = [{ type: 'text' as const, text: spec.system, cache_control: EPHEMERAL }];
  const messages: MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: spec.prompt }] }];

  let usage = ZERO_USAGE;
  let calls = 0;
  let repaired = false;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.timeoutMs);
  timer.unref?.();
  try {
    for (let step = 1; step <= spec.maxSteps; step++) {
      const last = step === spec.maxSteps || spent(usage) >= spec.tokenBudget * 0.75;
      if (last && step > 1) {
        const turn = messages.at(-1) as MessageParam & { content: Array<{ type: string }> };
        (turn.content as unknown[]).push({
          type: 'text',
          text: `This is your last turn: no more tools will run. Call ${spec.submit.name} now with what you have.`,
        });
      }
      const started = Date.now();
      let res: Message;
      try {
        res = await spec.client.messages.create(
          {
            model: spec.model,
            max_tokens: spec.maxOutputTokens,
            system,
            tools,
            messages: withBreakpoint(messages),
          },
          { signal: controller.signal },
        );
      } catch (err) {
        // An abort can surface as the SDK's error or, mid-body, as the stream's own AbortError.
        if (controller.signal.aborted)
          throw new ModelStepError('timeout', 'the model did not answer in time', usage);
        throw classify(err, usage);
      }
      calls++;
      const callUsage = usageOf(res);
      usage = addUsage(usage, callUsage);
      spec.onCall?.({ model: spec.model, ms: Date.now() - started, usage: callUsage, stop: res.stop_reason });

      if (res.stop_reason === 'refusal') {
        throw new ModelStepError('refusal', 'the model declined to answer', usage);
      }
      const content = (res.content ?? []) as ContentBlock[];
      const uses = content.filter(
        (b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
      );
      const submission = uses.find((u) => u.name === spec.submit.name);

      if (submission) {
        const parsed = spec.submit.schema.safeParse(submission.input);
        if (parsed.success) return { value: parsed.data, usage, calls };
        const issues = describeIssues(parsed.error.issues).slice(0, 8).join('; ');
        if (repaired || last)
          throw new ModelStepError('invalid-output', `answer does not parse: ${issues}`, usage);
        repaired = true;
        messages.push({ role: 'assistant', content: content as MessageParam['content'] });
        messages.push({
          role: 'user',
          content: uses.map((u) => ({
            type: 'tool_result' as const,
            tool_use_id: u.id,
            is_error: true,
            content:
              u.id === submission.id
                ? `Rejected, fix and resubmit: ${issues}`
                : 'Not run: submit a valid answer first.',
          })),
        });
        continue;
      }

      if (!uses.length) {
        // A text answer: accept it only if it is the JSON the submit tool would have taken.
        const text = content
          .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
          .map((b) => b.text)
          .join('\n');
        let json: unknown;
        try {
          json = jsonFromText(text);
        } catch (err) {
          throw new ModelStepError(
            'invalid-output',
            `no ${spec.submit.name} call and no parseable JSON (${(err as Error).message}; stop ${res.stop_reason})`,
            usage,
          );
        }
        const parsed = spec.submit.schema.safeParse(json);
        if (parsed.success) return { value: parsed.data, usage, calls };
        throw new ModelStepError(
          'invalid-output',
          `answer does not parse: ${describeIssues(parsed.error.issues).slice(0, 8).join('; ')}`,
          usage,
        );
      }

      if (last) {
        const why =
          step === spec.maxSteps ? `${spec.maxSteps} steps` : `the ${spec.tokenBudget}-token budget`;
        throw new ModelStepError(
          step === spec.maxSteps ? 'steps' : 'budget',
          `no answer within ${why}`,
          usage,
        );
      }
      if (spent(usage) > spec.tokenBudget) {
        throw new ModelStepError('budget', `token budget of ${spec.tokenBudget} exhausted`, usage);
      }

      messages.push({ role: 'assistant', content: content as MessageParam['content'] });
      const results: ToolResultBlockParam[] = await beforeDeadline(
        Promise.all(
          uses.map(async (u) => {
            const outcome = spec.executor
              ? await spec.executor.run(u.name, u.input)
              : { isError: true, content: 'no tools are available in this step' };
            return {
              type: 'tool_result' as const,
              tool_use_id: u.id,
              content: outcome.content,
              ...(outcome.isError ? { is_error: true } : {}),
            };
          }),
        ),
        controller.signal,
        usage,
      );
      messages.push({ role: 'user', content: results });
    }
    throw new ModelStepError('steps', `no answer within ${spec.maxSteps} steps`, usage);
  } finally {
    clearTimeout(timer);
  }
}
