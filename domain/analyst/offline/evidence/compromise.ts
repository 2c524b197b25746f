/**
 * Security compromise, as triage weighs it: credentials or sessions in someone else's hands, data
 * open to anyone, or a threat detector's typed finding that someone is acting on the incident's own
 * services. Read from security tooling's kinds, finding types and detectors' patterns — never from a
 * person's or an alert's description — so free text cannot claim a compromise into being.
 */
import type { Analysis } from '../analysis.js';
import { lower, uniq } from '../measure.js';

/** Security tooling's words for data anyone outside the account can read (Access Analyzer, S3 ACL grants). */
const OPEN_TO_ANYONE =
  /access granted to (all|any|every)|all authenticated (aws )?principals|AuthenticatedUsers|AllUsers|(readable|listable|accessible) (by|with|from) (any|an? unrelated|unrelated|another|external) (aws )?account|anonymous (read|access)|public(ly)? (readable|listable|read access)/i;

const HIJACK =
  /session.?(hijack|theft|stolen|token.*(reuse|replay|anomal))|token.?(theft|stolen|replay)|credentialexfiltration|cookie.?(theft|stolen)|impossible.?travel/i;

/**
 * A threat detector's finding type (GuardDuty's `ThreatPurpose:ResourceType/ThreatFamily`) whose
 * purpose is someone acting with access they should not have: using stolen credentials, taking data
 * out, or changing or destroying resources. Reconnaissance, discovery and policy findings are not.
 * The whole typed form is required: "Impact: users cannot log in" in a sentence is not a finding.
 */
const HOSTILE_FINDING =
  /(?:^|[\s(["'])(UnauthorizedAccess|CredentialAccess|Exfiltration|Impact|Persistence|PrivilegeEscalation):[A-Za-z0-9]+\/[A-Za-z0-9._!-]+/;

const mentions = (text: string, name: string) =>
  new RegExp(`(^|[^a-z0-9-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9-]|$)`, 'i').test(text);

/**
 * Credentials or sessions in someone else's hands, data open to anyone, or a hostile finding on a
 * service of the incident's path (`path`: the service, what it depends on and who calls it — a
 * finding about an unrelated account or bucket is not this incident's compromise).
 */
export function compromised(a: Analysis, path: string[]): { reasons: string[]; evidence: string[] } {
  const reasons: string[] = [];
  const evidence: string[] = [];
  const open = a.snap.security.filter((s) => OPEN_TO_ANYONE.test(`${s.kind} ${s.detail ?? ''}`));
  if (open.length) {
    reasons.push(`data readable from outside the account (${open[0].kind})`);
    evidence.push(...open.map((s) => s.id));
  }
  for (const issue of a.security) {
    const hijack = issue.signals.filter((s) => HIJACK.test(`${s.kind} ${s.detail}`));
    if (issue.pattern === 'leaked-credentials' || hijack.length) {
      const list = hijack.length ? hijack : issue.signals;
      reasons.push(
        `${hijack.length ? 'session or token in use by someone else' : 'credentials exposed'} (${list[0].kind})`,
      );
      evidence.push(...list.map((s) => s.id));
    }
  }
  const names = uniq(path.map(lower)).filter((n) => n.length >= 3);
  for (const s of a.snap.security) {
    const text = `${s.kind} ${s.detail ?? ''}`;
    const type = HOSTILE_FINDING.exec(text);
    const on = type && names.find((n) => mentions(text, n));
    if (!type || !on) continue;
    reasons.push(`threat finding ${type[0].trim().replace(/^[(["']/, '')} on ${on}`);
    evidence.push(s.id);
  }
  return { reasons: uniq(reasons), evidence: uniq(evidence) };
}
