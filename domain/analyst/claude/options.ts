/**
 * Limits and models for the Claude analyst. Every loop is bounded: steps, tokens, time and the size
 * of what a tool may hand back, so one confused conversation cannot stall or bankrupt a response.
 */
import * as z from 'zod';

/**
 * What each model is asked for, explicitly, on every call: a model's own default (for example
 * thinking that is on unless turned off) would otherwise eat into `max_tokens` unseen.
 */
export const ModelProfile = z.object({
  /** `max_tokens` of each call (thinking, when on, counts against it). */
  maxOutputTokens: z.number().int().min(256).max(64_000),
  /** `disabled` sends `thinking: {type: "disabled"}`; `adaptive` lets the model decide how much. */
  thinking: z.enum(['disabled', 'adaptive']).default('disabled'),
  /** `output_config.effort`, for models that take it; omitted when unset. */
  effort: z.enum(['low', 'medium', 'high']).optional(),
  /** The model's context window: a request estimated past it is not sent. */
  contextTokens: z.number().int().min(4096).default(200_000),
});
export type ModelProfile = z.infer<typeof ModelProfile>;

export const ClaudeOptions = z.object({
  /** Triage and the specialists: many short calls, so a fast model. */
  fastModel: z.string().min(1).default('claude-haiku-4-5'),
  /** Synthesis and the postmortem: one call each that decides the story, so a stronger model. */
  strongModel: z.string().min(1).default('claude-sonnet-5'),
  /** Model calls a specialist may make (tool turns plus the final answer). */
  specialistSteps: z.number().int().min(1).max(20).default(6),
  triageSteps: z.number().int().min(1).max(10).default(3),
  synthesisSteps: z.number().int().min(1).max(10).default(4),
  /** Triage and specialists: short structured answers, no thinking. */
  fastProfile: ModelProfile.default({ maxOutputTokens: 2048, thinking: 'disabled', contextTokens: 200_000 }),
  /** Synthesis: a longer answer (root cause, chain, ruled out, action). */
  strongProfile: ModelProfile.default({
    maxOutputTokens: 4096,
    thinking: 'disabled',
    contextTokens: 200_000,
  }),
  /** Tool calls run per model turn; more in one turn are answered "not run". */
  maxToolCallsPerTurn: z.number().int().min(1).max(20).default(6),
  /** Characters of tool results per turn, shared among that turn's calls. */
  maxResultCharsPerTurn: z.number().int().min(1000).max(200_000).default(24_000),
  /** Largest factor a proposed scale action may multiply capacity by. */
  maxScaleFactor: z.number().min(1).max(20).default(3),
  postmortemOutputTokens: z.number().int().min(256).max(32_000).default(4096),
  /** Input + output tokens one step (triage, a specialist, synthesis) may spend across its calls. */
  tokenBudget: z.number().int().min(1000).default(80_000),
  /** Characters of one tool result shown to the model; the rest is summarised away. */
  toolResultChars: z.number().int().min(500).max(100_000).default(12_000),
  /**
   * Wall-clock limit of every step, the SDK's retries included. Unset, each step gets its own
   * deadline (../deadlines.ts), which fits inside the Task that runs it with room for the fallback.
   */
  stepTimeoutMs: z.number().int().min(100).optional(),
  /** How far before the investigation window a tool may look (older deploys, slow burns). */
  maxLookbackMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(24 * 60),
});
export type ClaudeOptions = z.infer<typeof ClaudeOptions>;
export type ClaudeOptionsInput = z.input<typeof ClaudeOptions>;

/**
 * Bedrock names models differently; these are the defaults when MODEL_PROVIDER=bedrock. Many regions
 * need a cross-region inference profile instead (`us.…`, `eu.…`, `global.…`): set FAST_MODEL and
 * STRONG_MODEL to what your account offers.
 */
export const BEDROCK_DEFAULT_MODELS = {
  fastModel: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  strongModel: 'anthropic.claude-sonnet-5',
} as const;
