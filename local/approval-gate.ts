/**
 * The local stand-in for the human on the other end of a `.waitForTaskToken` task. It answers
 * through the same `decideApproval` the CLI and the approval links use.
 *
 * Modes: `auto` approves, `deny` rejects, `timeout` lets the request expire, `prompt` asks on this
 * terminal, and `wait` waits for `firebreak approve|reject <incident>` from another terminal. A
 * running local pipeline holds the embedded store's lock, so the other terminal cannot write to the
 * store itself: it drops its decision in the data directory's approval inbox, this gate applies it
 * to the store (by the same `decideApproval`) and writes back the outcome.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { ApprovalRefused, cleanActor, decideApproval } from '../domain/approval/approval.js';
import { approvalBrief, blastRadiusOf, briefLines } from '../domain/approval/brief.js';
import type { Clock } from '../domain/clock.js';
import { ApprovalRejected } from '../domain/errors.js';
import type { MitigationAction } from '../domain/model.js';
import { describeAction } from '../domain/notify/messages.js';
import type { IncidentStore } from '../domain/ports.js';

export const APPROVAL_MODES = ['auto', 'prompt', 'deny', 'timeout', 'wait'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Step Functions reports an expired wait as `States.Timeout`; the flow's Catch matches that name. */
class ApprovalTimeout extends Error {
  constructor() {
    super('no approval decision before the timeout');
    this.name = 'States.Timeout';
  }
}

export async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** A decision dropped in the inbox by `firebreak approve|reject` while a local run holds the store. */
export const InboxDecision = z.object({
  approved: z.boolean(),
  by: z.string().min(1).max(80),
  reason: z.string().max(500).optional(),
  /** Where the decision was made: recorded as `<channel>:<by>`. */
  channel: z.enum(['cli', 'console']).default('cli'),
});
export type InboxDecision = z.input<typeof InboxDecision>;

/** What the waiting run did with it. */
export const InboxResult = z.object({ ok: z.boolean(), message: z.string() });
export type InboxResult = z.infer<typeof InboxResult>;

export const inboxPaths = (dataDir: string, incidentId: string) => {
  const dir = join(resolve(dataDir), 'approvals');
  return {
    dir,
    request: join(dir, `${incidentId}.request.json`),
    result: join(dir, `${incidentId}.result.json`),
    /** Present while a run waits for this incident's decision; holds its process id. */
    waiting: join(dir, `${incidentId}.waiting`),
  };
};

/** True when a live local run is waiting for a decision on this incident in this data directory. */
export async function runIsWaiting(dataDir: string, incidentId: string): Promise<boolean> {
  const pid = Number(await readFile(inboxPaths(dataDir, incidentId).waiting, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch {
    return false;
  }
}

/** Writes a decision for a waiting run atomically (write then rename), so it is never read half-written. */
export async function dropDecision(
  dataDir: string,
  incidentId: string,
  decision: InboxDecision,
): Promise<void> {
  const paths = inboxPaths(dataDir, incidentId);
  await mkdir(paths.dir, { recursive: true });
  await rm(paths.result, { force: true });
  const tmp = `${paths.request}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(InboxDecision.parse(decision)), { mode: 0o600 });
  await rename(tmp, paths.request);
}

/** Waits for the run to apply a dropped decision; undefined when nobody picked it up in time. */
export async function awaitInboxResult(
  dataDir: string,
  incidentId: string,
  opts: { timeoutMs?: number; pollMs?: number } = {},
): Promise<InboxResult | undefined> {
  const paths = inboxPaths(dataDir, incidentId);
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    const text = await readFile(paths.result, 'utf8').catch(() => undefined);
    if (text) {
      await rm(paths.result, { force: true });
      return InboxResult.parse(JSON.parse(text));
    }
    await sleep(opts.pollMs ?? 200);
  }
  await rm(paths.request, { force: true });
  return undefined;
}

/** Reads and removes a dropped decision, if there is one. A malformed file is discarded. */
async function takeDecision(
  dataDir: string,
  incidentId: string,
): Promise<z.infer<typeof InboxDecision> | undefined | 'malformed'> {
  const paths = inboxPaths(dataDir, incidentId);
  const text = await readFile(paths.request, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  await rm(paths.request, { force: true });
  try {
    const parsed = InboxDecision.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'malformed';
  } catch {
    return 'malformed';
  }
}

export interface GateOptions {
  /** Where `wait` mode's inbox lives: the run's data directory. */
  dataDir?: string;
  /** How often `wait` mode looks at the inbox. */
  pollMs?: number;
  /** Where `wait` mode says what it is waiting for. */
  say?: (line: string) => void;
}

async function waitForInbox(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  action: MitigationAction,
  opts: GateOptions,
): Promise<{ approved: true; by: string; at: string }> {
  const dataDir = resolve(opts.dataDir ?? process.env.FIREBREAK_DATA_DIR ?? '.firebreak');
  const pending = await deps.store.getApprovalToken(incidentId);
  const expiresAt = pending?.expiresAt ?? deps.clock.now().toISOString();
  const paths = inboxPaths(dataDir, incidentId);
  await mkdir(paths.dir, { recursive: true });
  const dir = ` --data-dir ${dataDir}`;
  (opts.say ?? ((l) => process.stderr.write(`${l}\n`)))(
    `  ? waiting for a decision on ${describeAction(action)} until ${expiresAt.slice(11, 16)} UTC:\n` +
      `      firebreak approve ${incidentId}${dir} [--by NAME]\n      firebreak reject ${incidentId}${dir} [--reason TEXT]`,
  );
  const reply = (result: InboxResult) => writeFile(paths.result, JSON.stringify(result), { mode: 0o600 });
  await writeFile(paths.waiting, String(process.pid), { mode: 0o600 });
  try {
    return await pollInbox(deps, incidentId, action, { dataDir, expiresAt, reply, pollMs: opts.pollMs });
  } finally {
    await rm(paths.waiting, { force: true });
  }
}

async function pollInbox(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  action: MitigationAction,
  opts: { dataDir: string; expiresAt: string; reply: (r: InboxResult) => Promise<void>; pollMs?: number },
): Promise<{ approved: true; by: string; at: string }> {
  const { dataDir, expiresAt, reply } = opts;
  while (deps.clock.now().toISOString() < expiresAt) {
    const taken = await takeDecision(dataDir, incidentId);
    if (taken === 'malformed')
      await reply({ ok: false, message: 'the decision could not be read; nothing changed' });
    else if (taken) {
      try {
        const actor = `${taken.channel}:${cleanActor(taken.by)}`;
        await decideApproval(deps, incidentId, { approved: taken.approved, actor, reason: taken.reason });
        await reply({
          ok: true,
          message: `${taken.approved ? 'approved' : 'rejected'} ${describeAction(action)} for ${incidentId} as ${actor}`,
        });
        if (!taken.approved) throw new ApprovalRejected(`${actor} rejected ${describeAction(action)}`);
        return { approved: true, by: actor, at: deps.clock.now().toISOString() };
      } catch (err) {
        if (err instanceof ApprovalRejected) throw err;
        if (!(err instanceof ApprovalRefused) && !(err as Error).name?.includes('Validation')) throw err;
        await reply({ ok: false, message: (err as Error).message });
      }
    }
    await sleep(opts.pollMs ?? 250);
  }
  throw new ApprovalTimeout();
}

/** The terminal question with the decision's facts above it: the same brief the email carries. */
async function promptFor(
  store: IncidentStore,
  incidentId: string,
  action: MitigationAction,
): Promise<string> {
  const incident = await store.get(incidentId);
  const brief = incident
    ? briefLines(
        approvalBrief(incident, action, {
          preview: incident.mitigation?.detail || undefined,
          expiresAt: (await store.getApprovalToken(incidentId))?.expiresAt,
          blastRadius: blastRadiusOf(incident, await store.timeline(incidentId)),
        }),
        '    ',
      )
    : [];
  return [...brief, `  ? Approve ${describeAction(action)} for ${incidentId}? [y/N] `].join('\n');
}

export async function awaitDecision(
  deps: { store: IncidentStore; clock: Clock },
  incidentId: string,
  action: MitigationAction,
  mode: ApprovalMode,
  ask: (question: string) => Promise<boolean> = askOnTerminal,
  opts: GateOptions = {},
): Promise<{ approved: true; by: string; at: string }> {
  if (mode === 'timeout') throw new ApprovalTimeout();
  if (mode === 'wait') return waitForInbox(deps, incidentId, action, opts);
  const approved =
    mode === 'auto'
      ? true
      : mode === 'deny'
        ? false
        : await ask(await promptFor(deps.store, incidentId, action));
  const actor = mode === 'prompt' ? `local:${process.env.USER ?? 'operator'}` : `local:--approve ${mode}`;
  await decideApproval(deps, incidentId, {
    approved,
    actor,
    reason: approved
      ? undefined
      : mode === 'prompt'
        ? 'rejected at the local prompt'
        : 'rejected by --approve deny',
    automatic: mode !== 'prompt',
  });
  if (!approved) throw new ApprovalRejected(`${actor} rejected ${describeAction(action)}`);
  return { approved: true, by: actor, at: deps.clock.now().toISOString() };
}
