/**
 * Which analyst a run gets. Claude when a model is reachable — an API key in ANTHROPIC_API_KEY
 * locally, the Secrets Manager secret ANTHROPIC_SECRET_ARN names in AWS, or MODEL_PROVIDER=bedrock
 * (IAM, no key) — otherwise the offline analyst. Claude always carries the offline analyst as the
 * fallback for each step.
 */
import { ANALYST_CHOICES, type AnalystChoice } from '../domain/analyst/choices.js';
import { anthropicClient, bedrockClient, type MessagesClient } from '../domain/analyst/claude/client.js';
import { ClaudeAnalyst, type ClaudeAnalystDeps } from '../domain/analyst/claude/index.js';
import { BEDROCK_DEFAULT_MODELS, type ClaudeOptionsInput } from '../domain/analyst/claude/options.js';
import { OfflineAnalyst } from '../domain/analyst/offline/index.js';
import { ValidationError } from '../domain/errors.js';
import type { Analyst, AnalystResult, Evidence } from '../domain/ports.js';
import { ENV } from './env.js';
import type { SecretReader } from './secrets.js';

export { ANALYST_CHOICES, type AnalystChoice } from '../domain/analyst/choices.js';

type Env = Record<string, string | undefined>;

export interface ModelSettings {
  provider: 'anthropic' | 'bedrock';
  baseURL?: string;
  options: ClaudeOptionsInput;
}

/** Provider, endpoint and models from the environment (FAST_MODEL, STRONG_MODEL, MODEL_PROVIDER…). */
export function modelSettings(env: Env = process.env): ModelSettings {
  const provider = env[ENV.modelProvider] === 'bedrock' ? 'bedrock' : 'anthropic';
  const defaults = provider === 'bedrock' ? BEDROCK_DEFAULT_MODELS : {};
  return {
    provider,
    baseURL: (provider === 'bedrock' ? env.ANTHROPIC_BEDROCK_BASE_URL : env.ANTHROPIC_BASE_URL) || undefined,
    options: {
      ...defaults,
      ...(env[ENV.fastModel] ? { fastModel: env[ENV.fastModel] } : {}),
      ...(env[ENV.strongModel] ? { strongModel: env[ENV.strongModel] } : {}),
    },
  };
}

function claude(
  client: MessagesClient,
  evidence: Evidence,
  options: ClaudeOptionsInput,
  hooks: Pick<ClaudeAnalystDeps, 'onCall' | 'onDegraded'> = {},
): Analyst {
  return new ClaudeAnalyst({ client, evidence, fallback: new OfflineAnalyst(evidence), options, ...hooks });
}

export interface LocalSelection {
  name: 'offline' | 'claude';
  /** Builds the analyst over a run's evidence (the shape `runIncident` takes). */
  factory: (evidence: Evidence) => Analyst;
}

/**
 * For `firebreak run` and `eval`: `claude` without a key is refused with the reason (nothing runs);
 * `auto` picks Claude when a key (or Bedrock) is configured.
 */
export function selectLocalAnalyst(
  choice: AnalystChoice,
  env: Env = process.env,
  hooks: Pick<ClaudeAnalystDeps, 'onCall' | 'onDegraded'> = {},
): LocalSelection {
  if (!ANALYST_CHOICES.includes(choice)) {
    throw new ValidationError(`--analyst must be one of ${ANALYST_CHOICES.join(', ')}`);
  }
  const settings = modelSettings(env);
  const apiKey = env.ANTHROPIC_API_KEY?.trim();
  const reachable = settings.provider === 'bedrock' || !!apiKey;
  if (choice === 'offline' || (choice === 'auto' && !reachable)) {
    return { name: 'offline', factory: (evidence) => new OfflineAnalyst(evidence) };
  }
  if (!reachable) {
    throw new ValidationError('--analyst claude needs ANTHROPIC_API_KEY (or MODEL_PROVIDER=bedrock)');
  }
  const client =
    settings.provider === 'bedrock'
      ? bedrockClient({ baseURL: settings.baseURL })
      : anthropicClient({ apiKey, baseURL: settings.baseURL });
  return { name: 'claude', factory: (evidence) => claude(client, evidence, settings.options, hooks) };
}

/** The API key in a secret: the bare key, or JSON with `apiKey` / `ANTHROPIC_API_KEY`. */
export function keyFromSecret(secret: string | undefined): string | undefined {
  const text = secret?.trim();
  if (!text) return undefined;
  if (!text.startsWith('{')) return text;
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const key = doc.apiKey ?? doc.ANTHROPIC_API_KEY ?? doc.key;
    return typeof key === 'string' && key.trim() ? key.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An analyst decided on first use, because reading the key is asynchronous and the Lambda wiring is
 * not. The decision is kept for the life of the container; a failed secret read is not kept (the
 * offline analyst answers that call, marked degraded, and the next call tries again).
 */
export class DeferredAnalyst implements Analyst {
  private chosen?: Analyst;

  constructor(
    private readonly decide: () => Promise<Analyst>,
    private readonly offline: Analyst,
  ) {}

  get name(): string {
    return this.chosen?.name ?? 'auto';
  }

  /** The chosen analyst, or the offline one (degraded) when the choice cannot be made right now. */
  private async resolve(): Promise<{ analyst: Analyst; degraded: boolean }> {
    if (this.chosen) return { analyst: this.chosen, degraded: false };
    try {
      this.chosen = await this.decide();
      return { analyst: this.chosen, degraded: false };
    } catch {
      return { analyst: this.offline, degraded: true };
    }
  }

  private async use<T>(call: (a: Analyst) => Promise<AnalystResult<T>>): Promise<AnalystResult<T>> {
    const { analyst, degraded } = await this.resolve();
    const result = await call(analyst);
    return degraded ? { ...result, degraded: true } : result;
  }

  triage: Analyst['triage'] = (ctx) => this.use((a) => a.triage(ctx));
  investigate: Analyst['investigate'] = (sp, ctx) => this.use((a) => a.investigate(sp, ctx));
  synthesize: Analyst['synthesize'] = (f, ctx) => this.use((a) => a.synthesize(f, ctx));
  writePostmortem: NonNullable<Analyst['writePostmortem']> = async (incident, timeline) =>
    (await this.resolve()).analyst.writePostmortem?.(incident, timeline);
}

/**
 * For the Lambda wiring: the analyst the environment asks for, over the AWS evidence. The key is
 * read through the shared secret reader (runtime/secrets.ts) on first use, not at cold start.
 */
export function awsAnalyst(evidence: Evidence, deps: { env?: Env; secrets: SecretReader }): Analyst {
  const env = deps.env ?? process.env;
  // Every fallback goes to the function's log as well as onto the timeline.
  const hooks: Pick<ClaudeAnalystDeps, 'onDegraded'> = {
    onDegraded: (d) =>
      console.warn(
        JSON.stringify({
          level: 'WARN',
          message: 'analyst step degraded',
          step: d.step,
          reason: d.reason,
          detail: d.message,
        }),
      ),
  };
  const settings = modelSettings(env);
  const offline = new OfflineAnalyst(evidence);
  if (settings.provider === 'bedrock') {
    return claude(
      bedrockClient({ region: env.AWS_REGION, baseURL: settings.baseURL }),
      evidence,
      settings.options,
      hooks,
    );
  }
  const secretArn = env[ENV.anthropicSecretArn];
  if (!secretArn) return offline;
  return new DeferredAnalyst(async () => {
    const apiKey = keyFromSecret(await deps.secrets(secretArn));
    if (!apiKey) return offline;
    return claude(anthropicClient({ apiKey, baseURL: settings.baseURL }), evidence, settings.options, hooks);
  }, offline);
}
