/**
 * The Actions port for masked parameters. An analyst only ever sees placeholders, so the action it
 * proposes says `cidr: <ip:3f9a1c>/32` or `accessKeyId: <aws-access-key:…WXYZ>`, and that masked
 * form is what is stored, shown in the approval request and approved. Only here, on the way into
 * the adapter, is each placeholder swapped for the value a structured evidence field holds (a
 * security signal's source, a change's actor or resource) — never one read back out of text. A
 * placeholder no structured field accounts for refuses the action rather than guess. The outcome
 * is masked again before anything records it.
 */
import type { Clock } from '../clock.js';
import { LOOKBACK_MINUTES } from '../incidents/context.js';
import type { Incident, MitigationAction } from '../model.js';
import type { ActionOutcome, Actions, Evidence } from '../ports.js';
import { PLACEHOLDER, type Redaction } from './redactor.js';

export class RevealingActions implements Actions {
  constructor(
    private readonly inner: Actions,
    /** The unredacted evidence (the adapter the RedactingEvidence wraps). */
    private readonly raw: Evidence,
    private readonly redaction: Redaction,
    private readonly clock: Clock,
  ) {}

  async execute(
    action: MitigationAction,
    opts: { dryRun: boolean; incident: Incident },
  ): Promise<ActionOutcome> {
    const redactor = this.redaction.forIncident(opts.incident.id);
    const masked = Object.entries(action.params).filter(
      ([, v]) => typeof v === 'string' && new RegExp(PLACEHOLDER.source).test(v),
    );
    let params = action.params;
    if (masked.length) {
      const values = await this.structuredValues(opts.incident);
      const known = new Map<string, Set<string>>();
      for (const value of values) {
        for (const f of redactor.find(value)) {
          known.set(f.placeholder, (known.get(f.placeholder) ?? new Set()).add(f.raw));
        }
      }
      params = { ...action.params };
      for (const [key, value] of masked) {
        let problem: string | undefined;
        const revealed = (value as string).replace(new RegExp(PLACEHOLDER.source, 'g'), (token) => {
          const raws = [...(known.get(token) ?? [])];
          if (raws.length !== 1) {
            problem ??= raws.length
              ? `${key} ${token} stands for more than one value in the evidence`
              : `${key} ${token} is masked and no structured evidence field holds its value`;
            return token;
          }
          return raws[0];
        });
        if (problem) return { status: 'failed', detail: `${problem}: it cannot be acted on automatically` };
        params[key] = revealed;
      }
    }
    const outcome = await this.inner.execute({ ...action, params }, opts);
    return redactor.deep(outcome);
  }

  /** Values the incident's evidence holds in structured fields, unmasked. */
  private async structuredValues(incident: Incident): Promise<string[]> {
    const from = new Date(new Date(incident.detectedAt).getTime() - LOOKBACK_MINUTES * 60_000).toISOString();
    const to = this.clock.now().toISOString();
    const window = { from, to: to > from ? to : incident.detectedAt };
    const [security, changes] = await Promise.all([this.raw.security(window), this.raw.changes(window)]);
    return [...security.map((s) => s.source), ...changes.flatMap((c) => [c.actor, c.resource])].filter(
      (v): v is string => !!v,
    );
  }
}
