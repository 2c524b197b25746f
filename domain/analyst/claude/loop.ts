/**
 * The bounded tool-use loop every model step runs: call the model, run the tools it asks for, feed
 * the results back, until it calls the submit tool. Bounded by steps, tokens and wall-clock time; an
 * answer that does not parse gets one chance to be corrected, then the step fails.
 *
 * The bounds are checked before each call, not after: the request's size is measured (estimated)
 * against the model's context window and what is left of the step's token budget; a turn runs at
 * most so many tool calls and hands back at most so many characters; a call identical to an earlier
 * one is answered "already shown"; on the last step only the submit tool is offered, so the model
 * must answer; a prose answer or one cut off at `max_tokens` gets one nudge.
 *
 * Prompt caching: the system prompt and the tool definitions are static and carry `cache_control`, and
 * a moving breakpoint on the newest user turn lets each later call in the loop read the conversation so
 * far from the cache instead of paying for it again.
 */
import type * as z from 'zod';
import { describeIssues } from '../../errors.js';
import type { TokenUsage } from '../../model.js';
import type { ContentBlock, CreateParams, Message, MessageParam, MessagesClient, Tool } from './client.js';
import { classify, ModelStepError } from './errors.js';
import { jsonSchema, type ToolExecutor } from './tools.js';
import {
  beforeDeadline,
  EPHEMERAL,
  estimateTokens,
  guardRequest,
  jsonFromText,
  nearBudget,
  runToolCalls,
  thinkingParams,
  withBreakpoint,
} from './turn.js';
import { addUsage, spent, usageOf, ZERO_USAGE } from './usage.js';

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
  /** Explicit thinking and effort for this model (see ModelProfile). */
  thinking?: 'disabled' | 'adaptive';
  effort?: 'low' | 'medium' | 'high';
  /** The model's context window, in tokens: a request estimated past it is not sent. */
  contextTokens?: number;
  maxToolCallsPerTurn?: number;
  maxResultCharsPerTurn?: number;
  /** Called once per model call with its wall time: the benchmark and logs use it. */
  onCall?: (info: CallInfo) => void;
}

export interface CallInfo {
  model: string;
  ms: number;
  usage: TokenUsage;
  stop: string | null;
  /** Tokens written to the prompt cache by this call (billed above plain input). */
  cacheWrite: number;
  /** The request's estimated size before it was sent. */
  estimatedInput: number;
}

export interface LoopResult<T> {
  value: T;
  usage: TokenUsage;
  calls: number;
}

export async function runLoop<T>(spec: LoopSpec<T>): Promise<LoopResult<T>> {
  const submitTool: Tool = {
    name: spec.submit.name,
    description: spec.submit.description,
    input_schema: jsonSchema(spec.submit.schema),
  };
  const tools = [...spec.tools, submitTool];
  tools[tools.length - 1] = { ...tools[tools.length - 1], cache_control: EPHEMERAL };
  // On the last step only the submit tool is offered, so a final tool call cannot fail the step.
  const answerOnly: Tool[] = [{ ...submitTool, cache_control: EPHEMERAL }];
  const system = [{ type: 'text' as const, text: spec.system, cache_control: EPHEMERAL }];
  const messages: MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: spec.prompt }] }];
  const contextTokens = spec.contextTokens ?? 200_000;
  const turnBounds = {
    maxCalls: spec.maxToolCallsPerTurn ?? 6,
    maxChars: spec.maxResultCharsPerTurn ?? 24_000,
  };

  let usage = ZERO_USAGE;
  let calls = 0;
  let repaired = false;
  let nudged = false;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), spec.timeoutMs);
  timer.unref?.();
  const lastTurnNote = (why: string) => {
    const turn = messages.at(-1) as MessageParam & { content: unknown[] };
    turn.content.push({
      type: 'text',
      text: `This is your last turn (${why}): no more tools will run. Call ${spec.submit.name} now with what you have.`,
    });
  };
  try {
    for (let step = 1; step <= spec.maxSteps; step++) {
      const used = spent(usage);
      let last = step === spec.maxSteps;
      if (!last && step > 1) {
        const estimate = estimateTokens({ system, tools, messages });
        if (nearBudget(estimate, spec, used)) last = true;
      }
      if (last && step > 1) lastTurnNote(step === spec.maxSteps ? 'step limit' : 'token budget');
      const body: CreateParams = {
        model: spec.model,
        max_tokens: spec.maxOutputTokens,
        system,
        tools: last ? answerOnly : tools,
        messages: withBreakpoint(messages),
        ...thinkingParams(spec),
      };
      const estimatedInput = guardRequest(
        body,
        { contextTokens, tokenBudget: spec.tokenBudget, spent: used },
        usage,
      );
      const started = Date.now();
      let res: Message;
      try {
        res = await spec.client.messages.create(body, { signal: controller.signal });
      } catch (err) {
        // An abort can surface as the SDK's error or, mid-body, as the stream's own AbortError.
        if (controller.signal.aborted)
          throw new ModelStepError('timeout', 'the model did not answer in time', usage);
        throw classify(err, usage);
      }
      calls++;
      const callUsage = usageOf(res);
      usage = addUsage(usage, callUsage);
      spec.onCall?.({
        model: spec.model,
        ms: Date.now() - started,
        usage: callUsage,
        stop: res.stop_reason,
        cacheWrite: res.usage?.cache_creation_input_tokens ?? 0,
        estimatedInput,
      });

      if (res.stop_reason === 'refusal') {
        throw new ModelStepError('refusal', 'the model declined to answer', usage);
      }
      const content = (res.content ?? []) as ContentBlock[];
      const uses = content.filter(
        (b): b is Extract<ContentBlock, { type: 'tool_use' }> => b.type === 'tool_use',
      );
      const submission = uses.find((u) => u.name === spec.submit.name);
      const parsedSubmission = submission ? spec.submit.schema.safeParse(submission.input) : undefined;
      if (parsedSubmission?.success) return { value: parsedSubmission.data, usage, calls };

      if (res.stop_reason === 'max_tokens') {
        // Cut off: whatever it was writing is incomplete. One nudge to answer briefly, unless this
        // was the last step. The cut-off turn is dropped (a half-written tool call cannot be answered).
        if (nudged || last) {
          throw new ModelStepError(
            'invalid-output',
            `the answer was cut off at max_tokens (${spec.maxOutputTokens})`,
            usage,
          );
        }
        nudged = true;
        const turn = messages.at(-1) as MessageParam & { content: unknown[] };
        turn.content.push({
          type: 'text',
          text: `Your previous answer was cut off at the ${spec.maxOutputTokens}-token output limit and discarded. Call ${spec.submit.name} now, briefly: fewer items, shorter text.`,
        });
        continue;
      }

      if (submission && parsedSubmission && !parsedSubmission.success) {
        const issues = describeIssues(parsedSubmission.error.issues).slice(0, 8).join('; ');
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
        // A text answer: accept it if it is the JSON the submit tool would have taken; otherwise one
        // nudge to use the tool.
        const text = content
          .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
          .map((b) => b.text)
          .join('\n');
        let json: unknown;
        let problem: string | undefined;
        try {
          json = jsonFromText(text);
        } catch (err) {
          problem = `no ${spec.submit.name} call and no parseable JSON (${(err as Error).message}; stop ${res.stop_reason})`;
        }
        if (!problem) {
          const parsed = spec.submit.schema.safeParse(json);
          if (parsed.success) return { value: parsed.data, usage, calls };
          problem = `answer does not parse: ${describeIssues(parsed.error.issues).slice(0, 8).join('; ')}`;
        }
        if (nudged || last || !text.trim()) throw new ModelStepError('invalid-output', problem, usage);
        nudged = true;
        messages.push({ role: 'assistant', content: [{ type: 'text', text }] });
        messages.push({
          role: 'user',
          content: [
            {
              type: 'text',
              text: `Prose is not read. Call ${spec.submit.name} now with your answer in its fields.`,
            },
          ],
        });
        continue;
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
      messages.push({
        role: 'user',
        content: await beforeDeadline(
          runToolCalls(uses, spec.executor, turnBounds),
          controller.signal,
          usage,
        ),
      });
    }
    throw new ModelStepError('steps', `no answer within ${spec.maxSteps} steps`, usage);
  } finally {
    clearTimeout(timer);
  }
}
