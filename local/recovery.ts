/**
 * Local runs that die (kill -9, a closed laptop, a crash) must not leave their incidents open with
 * nobody told. Each run keeps a heartbeat file, `runs/<incident>.json` in the data folder, rewritten
 * every few seconds and removed when the run ends. Whoever starts next (`run`, `ingest`, `serve`)
 * finds the files whose process is gone or whose heartbeat stopped, and does what the flow's
 * RecordFailure does for an execution that failed: the incident's timeline says the automation
 * stopped and why, and on-call is told to respond by hand. The incident stays open for them:
 * `firebreak incidents close <id> --reason …` closes it.
 */

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../adapters/embedded/dynamodb.js';
import { proposeOnlyActions } from '../domain/actions/propose-only.js';
import { OfflineAnalyst } from '../domain/analyst/offline/index.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { parseConfig } from '../domain/config.js';
import { noEvidence } from '../domain/evidence/unavailable.js';
import { OPEN_STATUSES } from '../domain/model.js';
import type { IncidentStore, Notifier, Ports } from '../domain/ports.js';
import { recordFailure } from '../lambdas/record-failure/index.js';

export const HEARTBEAT_MS = 5_000;
/** A heartbeat this old belongs to a dead run even if its pid was reused by another process. */
export const STALE_MS = 6 * HEARTBEAT_MS;

export interface RunBeat {
  incidentId: string;
  pid: number;
  startedAt: string;
  heartbeatAt: string;
}

const runsDir = (dataDir: string) => join(dataDir, 'runs');
const beatFile = (dataDir: string, incidentId: string) =>
  join(runsDir(dataDir), `${incidentId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

/** Starts the heartbeat of a run; the returned function ends it (the run finished, either way). */
export function beginRun(dataDir: string, incidentId: string): () => void {
  mkdirSync(runsDir(dataDir), { recursive: true });
  const file = beatFile(dataDir, incidentId);
  const startedAt = new Date().toISOString();
  const beat = () => {
    const tmp = `${file}.${process.pid}`;
    const record: RunBeat = {
      incidentId,
      pid: process.pid,
      startedAt,
      heartbeatAt: new Date().toISOString(),
    };
    try {
      writeFileSync(tmp, JSON.stringify(record));
      renameSync(tmp, file);
    } catch {
      // A missed beat is harmless; STALE_MS allows for several.
    }
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    rmSync(file, { force: true });
  };
}

/** Every run with a heartbeat file, and whether it is still alive. */
export function localRuns(dataDir: string, now = Date.now()): Array<RunBeat & { alive: boolean }> {
  let names: string[];
  try {
    names = readdirSync(runsDir(dataDir)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const runs: Array<RunBeat & { alive: boolean }> = [];
  for (const name of names) {
    try {
      const beat = JSON.parse(readFileSync(join(runsDir(dataDir), name), 'utf8')) as RunBeat;
      const fresh = now - Date.parse(beat.heartbeatAt) < STALE_MS;
      runs.push({ ...beat, alive: (beat.pid === process.pid || processAlive(beat.pid)) && fresh });
    } catch {
      // Half-written by a run killed mid-write: the next look finds its rename, or nothing.
    }
  }
  return runs;
}

/** The live run driving an incident, if there is one. */
export const liveRun = (dataDir: string, incidentId: string) =>
  localRuns(dataDir).find((r) => r.incidentId === incidentId && r.alive);

/**
 * Finds runs that died and tells on the incidents they left open. Returns the incidents marked.
 * Safe to call from several processes at once: RecordFailure notifies each audience once.
 */
export async function recoverDeadRuns(
  dataDir: string,
  deps: { store: IncidentStore; notifier: Notifier; clock?: Clock },
): Promise<string[]> {
  const marked: string[] = [];
  for (const run of localRuns(dataDir).filter((r) => !r.alive)) {
    const incident = await deps.store.get(run.incidentId);
    if (incident && OPEN_STATUSES.includes(incident.status)) {
      const ports: Ports = {
        store: deps.store,
        notifier: deps.notifier,
        clock: deps.clock ?? systemClock,
        config: parseConfig({}),
        evidence: noEvidence,
        analyst: new OfflineAnalyst(noEvidence),
        actions: proposeOnlyActions,
        artifacts: { writePostmortem: async () => undefined },
      };
      await recordFailure(
        {
          incidentId: run.incidentId,
          error: {
            Error: 'RunLost',
            Cause: `the local run (pid ${run.pid}) stopped without finishing; its last heartbeat was at ${run.heartbeatAt}. Respond by hand, then: firebreak incidents close ${run.incidentId} --reason "…"`,
          },
        },
        ports,
      );
      marked.push(run.incidentId);
    }
    rmSync(beatFile(dataDir, run.incidentId), { force: true });
  }
  return marked;
}
