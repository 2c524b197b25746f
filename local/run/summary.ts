/** What `firebreak run` reports of a finished run, read back from the incident as stored. */
import type { Incident } from '../../domain/model.js';
import { describeAction } from '../../domain/notify/messages.js';
import { durations } from '../../domain/postmortem/template.js';

export interface RunSummary {
  incidentId: string;
  executionArn: string;
  /** JOINED: the alert joined an incident still open; no second run was started. */
  executionStatus: 'SUCCEEDED' | 'FAILED' | 'JOINED';
  status: string;
  severity: string | null;
  title: string;
  service: string | null;
  category: string;
  culprit: string;
  rootCause: string;
  confidence: number;
  mitigation: { action: string | null; kind: string | null; target: string | null; status: string };
  escalationTier: number;
  states: string[];
  notifications: Array<{ kind: string; audience: string; subject: string }>;
  postmortemPath: string | null;
  minutes: { toDeclare: number | null; toMitigate: number | null; toResolve: number | null };
  wallSeconds: number;
}

export function summarize(
  incident: Incident,
  run: {
    executionArn: string;
    executionStatus: RunSummary['executionStatus'];
    states: string[];
    notifications: RunSummary['notifications'];
    postmortemPath: string | null;
    wallStart: number;
  },
): RunSummary {
  const d = durations(incident);
  const action = incident.mitigation?.action;
  const rc = incident.rootCause;
  return {
    incidentId: incident.id,
    executionArn: run.executionArn,
    executionStatus: run.executionStatus,
    status: incident.status,
    severity: incident.severity ?? null,
    title: incident.title,
    service: incident.service ?? null,
    category: rc?.category ?? 'unknown',
    culprit: rc?.culprit ?? '',
    rootCause: rc?.summary ?? 'not established',
    confidence: rc?.confidence ?? 0,
    mitigation: {
      action: action ? describeAction(action) : null,
      kind: action?.kind ?? null,
      target: action?.target ?? null,
      status: incident.mitigation?.status ?? 'none',
    },
    escalationTier: incident.escalationTier,
    states: run.states,
    notifications: run.notifications,
    postmortemPath: run.postmortemPath,
    minutes: {
      toDeclare: d.toDeclare ?? null,
      toMitigate: d.toMitigate ?? null,
      toResolve: d.toResolve ?? null,
    },
    wallSeconds: Math.round((Date.now() - run.wallStart) / 10) / 100,
  };
}
