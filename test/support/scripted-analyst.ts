/**
 * A scripted Analyst for flow tests: it decides what the test says (severity, cause, proposal), so a
 * test can pin a route through the response without depending on how any real analyst reasons.
 * It implements our own Analyst port; nothing here reads the scenario's expected outcome.
 */
import type {
  Category,
  Finding,
  Incident,
  MitigationAction,
  RootCause,
  Severity,
  Specialist,
  TimelineEvent,
} from '../../domain/model.js';
import type { Analyst, AnalystResult, InvestigationContext, TriageDecision } from '../../domain/ports.js';

export interface Script {
  severity: Severity;
  category?: Category;
  culprit?: string;
  confidence?: number;
  mitigation?: Omit<MitigationAction, 'rationale'> & { rationale?: string };
  /** A narrative postmortem (or a function of the incident); absent = the template writes it. */
  postmortem?: string | ((incident: Incident, timeline: TimelineEvent[]) => string);
}

export class ScriptedAnalyst implements Analyst {
  readonly name = 'scripted';
  constructor(private readonly script: Script) {}

  async triage(ctx: InvestigationContext): Promise<AnalystResult<TriageDecision>> {
    return {
      value: {
        severity: this.script.severity,
        specialists: ['logs', 'changes'],
        services: ctx.incident.service ? [ctx.incident.service] : [],
        rationale: `scripted ${this.script.severity}`,
      },
    };
  }

  async investigate(specialist: Specialist): Promise<AnalystResult<Finding>> {
    return { value: { specialist, status: 'ok', hypotheses: [], ruledOut: [], notes: ['scripted'] } };
  }

  async synthesize(_findings: Finding[], ctx: InvestigationContext): Promise<AnalystResult<RootCause>> {
    const s = this.script;
    const service = ctx.incident.service ?? 'the service';
    const category = s.category ?? 'deployment';
    return {
      value: {
        category,
        culprit: s.culprit ?? 'v42',
        summary:
          category === 'unknown'
            ? 'not established'
            : `${service} ${s.culprit ?? 'v42'} introduced errors on every request`,
        causalChain:
          category === 'unknown'
            ? []
            : [
                `${service} ${s.culprit ?? 'v42'} deployed`,
                `${service} began returning 5xx`,
                `${service}-5xx fired`,
              ],
        confidence: s.confidence ?? 0.9,
        evidence: [`deploy:${service}@v42`],
        ruledOut: [],
        mitigation: s.mitigation ? { rationale: 'scripted proposal', ...s.mitigation } : null,
        degraded: false,
      },
    };
  }

  async writePostmortem(
    incident: Incident,
    timeline: TimelineEvent[],
  ): Promise<AnalystResult<string> | undefined> {
    const p = this.script.postmortem;
    if (p === undefined) return undefined;
    return { value: typeof p === 'function' ? p(incident, timeline) : p };
  }
}
