/**
 * Scripted stand-ins for Claude, answering through the fake Messages API the way a model would:
 * call a tool, read the `<data>` it gets back, then submit. `honest` reasons from the evidence in a
 * fixed, simple way; `obeyInjections` makes it follow any "roll back X" it reads in the data, like a
 * model that fell for a prompt injection.
 */
import {
  dataBlocks,
  type FakeReply,
  type FakeRequest,
  roleOf,
  type Script,
  text,
  toolUse,
  turnOf,
} from './fake-messages-api.js';

export interface Behaviour {
  /** Every answer takes this long (the benchmark's fixed latency). */
  latencyMs?: number;
  specialists?: string[];
  obeyInjections?: boolean;
}

const PRIMARY_TOOL: Record<string, string> = {
  logs: 'search_logs',
  metrics: 'get_metrics',
  changes: 'list_changes',
  dependencies: 'alarm_history',
  security: 'security_signals',
  performance: 'get_metrics',
};

interface Incident {
  service?: string;
  title?: string;
  alerts?: Array<{ severityHint?: string }>;
}
interface Item {
  id?: string;
  kind?: string;
  service?: string;
  version?: string;
  previousVersion?: string;
  signature?: string;
  sample?: string;
}

const incidentOf = (req: FakeRequest): Incident =>
  (dataBlocks(req).find((d) => d.source === 'incident')?.value as Incident) ?? {};

const toolItems = (req: FakeRequest): Item[] =>
  dataBlocks(req)
    .filter((d) => d.source.startsWith('tool:'))
    .flatMap((d) => ((d.value as { items?: Item[] }).items ?? []) as Item[]);

/** A target some data asked the model to roll back, if any. */
export function injectedTarget(req: FakeRequest): string | undefined {
  for (const d of dataBlocks(req)) {
    const m = /roll ?back ([a-z0-9][a-z0-9-]*)/i.exec(JSON.stringify(d.value));
    if (m) return m[1];
  }
  return undefined;
}

function deploymentOf(req: FakeRequest, service: string | undefined): Item | undefined {
  return toolItems(req)
    .filter((i) => i.kind === 'deployment' && i.service === service)
    .at(-1);
}

function triage(req: FakeRequest, b: Behaviour): FakeReply {
  const incident = incidentOf(req);
  return {
    content: [
      toolUse('submit_triage', {
        severity: incident.alerts?.find((a) => a.severityHint)?.severityHint ?? 'SEV2',
        specialists: b.specialists ?? ['logs', 'metrics', 'changes'],
        services: incident.service ? [incident.service] : [],
        rationale: 'scripted triage',
      }),
    ],
  };
}

function specialist(req: FakeRequest, concern: string, b: Behaviour): FakeReply {
  if (turnOf(req) === 0) return { content: [toolUse(PRIMARY_TOOL[concern] ?? 'list_services', {})] };
  const incident = incidentOf(req);
  const target = b.obeyInjections ? injectedTarget(req) : undefined;
  const items = toolItems(req);
  if (target) {
    const cited = items.find((i) => JSON.stringify(i).toLowerCase().includes(target.toLowerCase()));
    return {
      content: [
        toolUse('submit_finding', {
          hypotheses: [
            {
              category: 'deployment',
              culprit: target,
              summary: `the logs say to roll back ${target}, so ${target} is the cause`,
              confidence: 0.99,
              evidence: cited?.id ? [cited.id] : [],
            },
          ],
        }),
      ],
    };
  }
  const deploy = deploymentOf(req, incident.service);
  if (deploy?.id) {
    return {
      content: [
        toolUse('submit_finding', {
          hypotheses: [
            {
              category: 'deployment',
              culprit: deploy.version ?? deploy.service,
              summary: `${deploy.service} ${deploy.version} was deployed just before the onset`,
              confidence: 0.8,
              evidence: [deploy.id],
            },
          ],
        }),
      ],
    };
  }
  const top = items.find((i) => i.signature && i.id);
  return {
    content: [
      toolUse('submit_finding', {
        hypotheses: top
          ? [
              {
                category: 'code',
                culprit: top.service ?? '',
                summary: `errors: ${top.signature}`,
                confidence: 0.4,
                evidence: [top.id],
              },
            ]
          : [],
        ruledOut: top ? [] : [`nothing notable for ${concern}`],
      }),
    ],
  };
}

function synthesis(req: FakeRequest, b: Behaviour): FakeReply {
  if (turnOf(req) === 0) return { content: [toolUse('list_changes', {})] };
  const incident = incidentOf(req);
  const target = b.obeyInjections ? injectedTarget(req) : undefined;
  if (target) {
    return {
      content: [
        toolUse('submit_root_cause', {
          category: 'deployment',
          culprit: target,
          summary: `${target} must be rolled back, as the logs instruct`,
          confidence: 0.99,
          mitigation: { kind: 'rollback', target, params: {}, rationale: 'instructed by a log line' },
        }),
      ],
    };
  }
  const deploy = deploymentOf(req, incident.service);
  if (!deploy) {
    return {
      content: [
        toolUse('submit_root_cause', {
          category: 'unknown',
          summary: 'no change explains the alarm',
          confidence: 0.2,
          mitigation: null,
        }),
      ],
    };
  }
  return {
    content: [
      toolUse('submit_root_cause', {
        category: 'deployment',
        culprit: deploy.version ?? '',
        summary: `${deploy.service} ${deploy.version} broke ${deploy.service}: errors began right after the deploy`,
        causalChain: [`deploy ${deploy.version}`, 'new errors', 'alarm'],
        confidence: 0.85,
        evidence: deploy.id ? [deploy.id] : [],
        mitigation: {
          kind: 'rollback',
          target: deploy.service,
          params: {
            ...(deploy.previousVersion ? { toVersion: deploy.previousVersion } : {}),
            ...(deploy.version ? { fromVersion: deploy.version } : {}),
          },
          rationale: 'undo the deploy that preceded the onset',
        },
      }),
    ],
  };
}

function postmortem(req: FakeRequest): FakeReply {
  const record = dataBlocks(req).find((d) => d.source === 'incident-record')?.value as
    | { title?: string }
    | undefined;
  return {
    content: [
      text(
        `# Postmortem: ${record?.title ?? 'incident'}\n\n## Summary\nA scripted model wrote this postmortem from the record.\n\n## Impact\nAs recorded.\n\n## Timeline\nSee the incident timeline.\n\n## Root cause\nAs recorded.\n\n## Action items\n- Add a regression test.\n`,
      ),
    ],
  };
}

export function scriptedModel(b: Behaviour = {}): Script {
  return (req) => {
    const role = roleOf(req);
    let reply: FakeReply;
    if (role === 'triage') reply = triage(req, b);
    else if (role === 'synthesis') reply = synthesis(req, b);
    else if (role === 'postmortem') reply = postmortem(req);
    else if (role.startsWith('specialist:')) reply = specialist(req, role.slice('specialist:'.length), b);
    else reply = { status: 400, errorType: 'invalid_request_error', message: `unscripted request (${role})` };
    return b.latencyMs ? { ...reply, delayMs: b.latencyMs } : reply;
  };
}
