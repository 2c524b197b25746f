/**
 * `firebreak approve` / `reject`: in AWS through the table and Step Functions (mocked at the SDK),
 * locally through a waiting run's inbox — in-process, and as two real processes like two terminals.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SfnTaskAnswerer } from '../../adapters/aws/sfn-answerer.js';
import type { DynamoIncidentStore } from '../../adapters/aws/store/dynamo-store.js';
import type { EmbeddedDynamoDB } from '../../adapters/embedded/dynamodb.js';
import { belongsTo, decideInAws, decideLocally } from '../../bin/commands/approve.js';
import { ApprovalRefused, openApproval } from '../../domain/approval/approval.js';
import { ManualClock } from '../../domain/clock.js';
import { ValidationError } from '../../domain/errors.js';
import type { Incident } from '../../domain/model.js';
import { awaitDecision } from '../../local/approval-gate.js';
import { anIncident } from '../support/incidents.js';
import { tempDir } from '../support/response-harness.js';
import { startTestStore } from '../support/store.js';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());
const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:firebreak-incident-response';
const action = {
  kind: 'rollback' as const,
  target: 'checkout',
  params: { toVersion: 'checkout:41' },
  rationale: '',
};

let db: EmbeddedDynamoDB;
let store: DynamoIncidentStore;
const clock = new ManualClock('2026-05-04T09:40:00.000Z');
let n = 0;

beforeAll(async () => {
  ({ db, store } = await startTestStore());
});
afterAll(async () => db.close());

async function pending(executionName?: string) {
  const id = `inc-cli-${++n}`;
  const incident: Incident = anIncident({
    id,
    status: 'ACTIVE',
    severity: 'SEV2',
    executionArn: `${SM.replace(':stateMachine:', ':execution:')}:${executionName ?? id}`,
    mitigation: { action, status: 'awaiting-approval', detail: '' },
  });
  await store.create(incident);
  await openApproval({ store, clock }, id, action, `token-${id}`, 900);
  return id;
}

const aws = () => ({
  store,
  clock,
  answerer: new SfnTaskAnswerer(new SFNClient({ region: 'eu-west-1' })),
  stateMachineArn: SM,
});

describe('approve and reject in AWS', () => {
  it('approve records the decision and answers SendTaskSuccess with the stored task token', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const id = await pending();
    const message = await decideInAws({ incidentId: id, approved: true, by: 'alice' }, aws());
    expect(message).toMatch(/^approved rollback checkout .* as cli:alice; Step Functions answered$/);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0].args[0].input.taskToken).toBe(`token-${id}`);
    expect((await store.get(id))?.mitigation).toMatchObject({ status: 'approved', approvedBy: 'cli:alice' });
  });

  it('reject answers SendTaskFailure(ApprovalRejected) with the reason', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    const id = await pending();
    await decideInAws(
      { incidentId: id, approved: false, by: 'bob', reason: 'peak traffic, roll forward instead' },
      aws(),
    );
    const input = sfn.commandCalls(SendTaskFailureCommand)[0].args[0].input;
    expect(input).toMatchObject({ taskToken: `token-${id}`, error: 'ApprovalRejected' });
    expect(input.cause).toContain('peak traffic, roll forward instead');
    expect((await store.timeline(id)).at(-1)).toMatchObject({ type: 'approval-rejected', actor: 'cli:bob' });
  });

  it('refuses an incident of another state machine, a second answer, and a bad name — changing nothing', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const foreign = await pending();
    const before = await store.get(foreign);
    const other = { ...aws(), stateMachineArn: `${SM}-staging` };
    await expect(
      decideInAws({ incidentId: foreign, approved: true, by: 'alice' }, other),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await store.get(foreign)).toEqual(before);
    await decideInAws({ incidentId: foreign, approved: true, by: 'alice' }, aws());
    const again = await decideInAws({ incidentId: foreign, approved: false, by: 'mallory' }, aws()).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(ApprovalRefused);
    expect((again as ApprovalRefused).code).toBe('used');
    await expect(
      decideInAws({ incidentId: await pending(), approved: true, by: 'x;rm -rf' }, aws()),
    ).rejects.toThrow(/--by/);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(belongsTo(`${SM.replace(':stateMachine:', ':execution:')}:abc`, SM)).toBe(true);
    expect(belongsTo(`${SM.replace(':stateMachine:', ':execution:')}-staging:abc`, SM)).toBe(false);
  });

  it('a late answer is undone on the record and reported', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('gone'), { name: 'TaskDoesNotExist' }));
    const id = await pending();
    await expect(decideInAws({ incidentId: id, approved: true, by: 'alice' }, aws())).rejects.toThrow(
      /stopped waiting/,
    );
    expect((await store.get(id))?.mitigation?.status).toBe('timed-out');
  });
});

describe('approve and reject locally', () => {
  it('a run waiting in wait mode takes the decision from another caller through its inbox', async () => {
    const dataDir = tempDir();
    const id = await pending();
    const said: string[] = [];
    const waiting = awaitDecision({ store, clock }, id, action, 'wait', undefined, {
      dataDir,
      pollMs: 10,
      say: (l) => said.push(l),
    });
    while (!existsSync(join(dataDir, 'approvals', `${id}.waiting`)))
      await new Promise((r) => setTimeout(r, 10));
    const message = await decideLocally({ incidentId: id, approved: true, by: 'dana' }, dataDir);
    expect(message).toMatch(new RegExp(`^approved rollback checkout .* for ${id} as cli:dana$`));
    await expect(waiting).resolves.toMatchObject({ approved: true, by: 'cli:dana' });
    expect(said[0]).toContain(`firebreak approve ${id} --data-dir ${dataDir}`);
    expect((await store.get(id))?.mitigation?.approvedBy).toBe('cli:dana');
    expect(readdirSync(join(dataDir, 'approvals'))).toEqual([]);
  });

  it('a rejection through the inbox fails the wait with ApprovalRejected, as Step Functions would', async () => {
    const dataDir = tempDir();
    const id = await pending();
    const waiting = awaitDecision({ store, clock }, id, action, 'wait', undefined, {
      dataDir,
      pollMs: 10,
      say: () => {},
    });
    const failed = waiting.catch((e: unknown) => e);
    while (!existsSync(join(dataDir, 'approvals', `${id}.waiting`)))
      await new Promise((r) => setTimeout(r, 10));
    await decideLocally({ incidentId: id, approved: false, by: 'erin', reason: 'not during peak' }, dataDir);
    expect(((await failed) as Error).name).toBe('ApprovalRejected');
    expect((await store.get(id))?.mitigation).toMatchObject({
      status: 'rejected',
      detail: 'not during peak',
    });
  });
});

describe('two terminals', () => {
  const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
  const FIXTURE = fileURLToPath(
    new URL('../support/fixtures/sev2-checkout-needs-rollback.json', import.meta.url),
  );
  let runner: ChildProcess | undefined;
  afterAll(() => runner?.kill());

  it('`firebreak run --approve wait` waits for `firebreak approve` from another process, then mitigates', async () => {
    const dataDir = tempDir();
    const env = { ...process.env, FIREBREAK_DATA_DIR: dataDir };
    runner = spawn(process.execPath, [BIN, 'run', FIXTURE, '--approve', 'wait', '--json'], { env });
    let stdout = '';
    let stderr = '';
    runner.stdout?.on('data', (d) => {
      stdout += d;
    });
    runner.stderr?.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => runner?.on('exit', r));
    const approvals = join(dataDir, 'approvals');
    const deadline = Date.now() + 25_000;
    let waitingFile: string | undefined;
    while (!waitingFile && Date.now() < deadline) {
      waitingFile = existsSync(approvals)
        ? readdirSync(approvals).find((f) => f.endsWith('.waiting'))
        : undefined;
      if (!waitingFile) await new Promise((r) => setTimeout(r, 100));
    }
    expect(waitingFile, `the run never asked for approval: ${stderr}`).toBeDefined();
    const id = (waitingFile as string).replace(/\.waiting$/, '');
    const approve = spawnSync(process.execPath, [BIN, 'approve', id, '--by', 'frank'], {
      env,
      encoding: 'utf8',
    });
    expect(approve.status, approve.stderr).toBe(0);
    expect(approve.stdout).toContain(`for ${id} as cli:frank`);
    expect(await exited).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ incidentId: id, status: 'RESOLVED' });
    expect(summary.mitigation.status).toBe('applied');
    expect(stderr).toContain(`firebreak approve ${id} --data-dir ${dataDir}`);
    // The same data directory answers `firebreak postmortem`.
    const postmortem = spawnSync(process.execPath, [BIN, 'postmortem', id], { env, encoding: 'utf8' });
    expect(postmortem.status, postmortem.stderr).toBe(0);
    expect(postmortem.stdout).toMatch(/^# Postmortem/);
    expect(postmortem.stdout).toContain('approved by cli:frank');
  });
});
