/**
 * Feature flags the evidence shows switched on: a flag change of any age in the look-back, a read
 * of a service's flag configuration, or its own "flags loaded" line listing its flags' states. A
 * responder whose incident is driven by one feature's work (its calls to a failing vendor, its
 * queries on one table) reaches for that feature's switch before scaling anything: it is
 * rehearsed, reversible and ends the work itself.
 *
 * A flag read out of free text (a log line, a read's summary) is never an action target by its name:
 * the service that logged or read it is. A flag change's resource is a structured field, as for any
 * change, and is its own target.
 */
import type { ChangeRecord, LogSignature } from '../../../ports.js';
import { lower } from '../measure.js';
import type { ScoredChange } from './changes.js';

export interface KnownSwitch {
  /** The flag's key as recorded. */
  flag: string;
  /** The service whose flag it is, when known: where it acts. */
  service?: string;
  /** What an action acts on: the change's resource, or the service that logged or read the flag. */
  target: string;
  evidenceId: string;
}

/** A service listing its flags as it loads them: "feature flags loaded from AppConfig …: a=true, b=off". */
const LOADED =
  /\b(?:feature[- ]?)?(?:flags?|features|toggles)\b[^:]{0,60}\b(?:loaded|evaluated|state|values|unchanged)\b/i;
const PAIR = /\b([a-z][\w.-]*[a-z0-9])\s*[=:]\s*(on|off|true|false|enabled|disabled|\d{1,3}\s*%)/gi;
const OFF = /^(?:off|false|disabled|0\s*%)$/i;
/** A flag change whose outcome turns it off: "… -> 0%", "enabled=false", "disabled". */
const TURNED_OFF = /(?:->|→|\bto)\s*(?:0\s*%|off|false|disabled)\s*\W*$|\bdisabled\b|\bturned off\b/i;

/**
 * The flags on, by the newest word on each.
 *
 * @example
 *   knownSwitches(scored, settings, logs, ['controller-api'])
 *   // [{ flag: 'realtime_updates', service: 'controller-api', target: 'controller-api', … }]
 */
export function knownSwitches(
  changes: readonly ScoredChange[],
  settings: readonly ChangeRecord[],
  logs: readonly LogSignature[],
  services: readonly string[],
): KnownSwitch[] {
  const known = new Map(services.map((s) => [lower(s), s]));
  // Newest first: the latest word on a flag is its state, and a flag seen off stays off.
  type Said = { at: string; change?: ScoredChange; service?: string; text: string; id: string };
  const said: Said[] = [
    ...changes.map((c) => ({ at: c.change.at, change: c, text: c.change.summary, id: c.change.id })),
    ...settings.map((c) => ({ at: c.at, service: c.service, text: c.summary, id: c.id })),
    ...logs.map((l) => ({ at: l.lastSeen, service: l.service, text: l.sample, id: l.id })),
  ].sort((x, y) => y.at.localeCompare(x.at));
  const seen = new Set<string>();
  const out: KnownSwitch[] = [];
  const note = (flag: string, on: boolean, s: Omit<KnownSwitch, 'flag'>) => {
    if (seen.has(lower(flag))) return;
    seen.add(lower(flag));
    if (on) out.push({ flag, ...s });
  };
  for (const x of said) {
    if (x.change) {
      const { change: c, flavor, service } = x.change;
      if (flavor === 'flag' && c.resource)
        note(c.resource, !TURNED_OFF.test(c.summary), {
          ...(service ? { service } : {}),
          target: c.resource,
          evidenceId: c.id,
        });
      continue;
    }
    const service = known.get(lower(x.service));
    if (!service || !LOADED.test(x.text)) continue;
    for (const m of x.text.matchAll(PAIR))
      note(m[1], !OFF.test(m[2]), { service, target: service, evidenceId: x.id });
  }
  return out;
}
