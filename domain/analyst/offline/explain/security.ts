/**
 * Candidates from security signals. An attack that hurts the service (errors, latency, accounts
 * taken over) is answered by blocking its sources in front of the service; exposed or misused
 * credentials by rotating them. Hostile traffic that the WAF already blocks, with no effect on
 * real users, is background noise of the internet and left to the health candidate.
 * Action targets are catalog services; principals and addresses only ever go into parameters,
 * and only in the strict shapes the security tooling reports them in.
 */

import { isSafeParamValue } from '../../../mitigation/allow-list.js';
import type { SecuritySignal } from '../../../ports.js';
import { mentionsWord } from '../../../text.js';
import type { Analysis } from '../analysis.js';
import { linedUpWithOnset, type ScoredChange } from '../evidence/changes.js';
import {
  blockParams,
  detectSecurity,
  genuineTraffic,
  networkSources,
  type SecurityIssue,
  securityPattern,
} from '../evidence/security.js';
import { isAnomalous } from '../evidence/series.js';
import { conf, headline, hhmm, lower, mentionedNames, ms, namedByParts, uniq } from '../measure.js';
import { action, type Candidate, LEAD_ONLY } from '../rank/candidate.js';
import { providerHold } from './provider-hold.js';

const PATTERN_PHRASE: Record<SecurityIssue['pattern'], string> = {
  'failed-logins': 'a credential-stuffing / brute-force login attack',
  'waf-blocks': 'hostile traffic the WAF is blocking',
  flood: 'a request flood',
  abuse: 'abuse of the service by hostile accounts or clients',
  finding: 'a threat finding',
  'iam-anomaly': 'anomalous IAM activity',
  'leaked-credentials': 'leaked credentials',
};

/** A detector or its detail calling the traffic a distributed denial of service. */
const DDOS = /\bddos\b|request_flood|syn_flood|udp_reflection|distributed denial/i;

/**
 * An intruder who got in (a first-seen sign-in, a leaked key in use)
 * works quietly before anyone notices what they did: defaced pages and swapped links are reported
 * days after the account was taken. Such signals are read this far back; attacks that hurt through
 * their load (floods, login storms) only around the onset.
 */
const DWELL_MS = 72 * 3_600_000;
const COMPROMISE = new Set<SecurityIssue['pattern']>(['iam-anomaly', 'leaked-credentials']);

/**
 * Attack signals can lag the traffic they count (aggregation, delivery, the first sampled log line
 * after a five-minute metric's onset), but not by this much.
 */
const LATE_MS = 15 * 60_000;

/** The tooling's own word that what it counts is the everyday level. */
const USUAL =
  /\b(same|usual|normal|typical|baseline) (rate|level|volume)\b|\bas usual\b|\bwithin (the )?baseline\b/i;

/**
 * The signals that line up with the incident (during or shortly before it, or anywhere in the
 * window we were asked to investigate: a person's report lags the activity it reports, and with
 * nothing measured the onset is only when they wrote), grouped afresh: a routine sign-in at dawn
 * must neither date a finding of the afternoon nor swell its count.
 */
const timelyIssues = (a: Analysis): SecurityIssue[] => {
  const from = Math.min(ms(a.onset) - 45 * 60_000, ms(a.snap.window.from));
  const dwell = ms(a.onset) - DWELL_MS;
  return detectSecurity(
    a.snap.security.filter(
      (s) => ms(s.at) >= from || (ms(s.at) >= dwell && COMPROMISE.has(securityPattern(s))),
    ),
  ).map((issue) => ({ ...issue, at: firstActivity(a, issue) }));
};

/** A client's product token (`DocHarvestBot/2.1`); the browsers' own tokens name no one. */
const AGENT_TOKEN = /\b[A-Za-z][\w.-]{2,40}\/\d+(?:\.\d+)*\b/g;
const GENERIC_AGENT =
  /^(?:mozilla|applewebkit|chrome|safari|gecko|firefox|edg|opr|opera|version|mobile|http|https|curl|python-requests|go-http-client|okhttp|java)\//i;

/**
 * When the reported activity began: a report (an Athena query, a cost anomaly, a ticket) is written
 * after the traffic it counts, so the first log line that carries the same client token or source
 * address dates the activity, when it is earlier than the report.
 */
function firstActivity(a: Analysis, issue: SecurityIssue): string {
  const details = issue.signals.map((s) => s.detail).join('\n');
  const tokens = uniq([
    ...[...details.matchAll(AGENT_TOKEN)].map((m) => m[0]).filter((t) => !GENERIC_AGENT.test(t)),
    ...networkSources(issue).filter((ip) => !ip.includes('/')),
  ]);
  if (!tokens.length) return issue.at;
  const seen = a.snap.logs
    .filter((l) => tokens.some((t) => l.sample.includes(t)))
    .map((l) => l.firstSeen)
    .sort()[0];
  return seen && seen < issue.at ? seen : issue.at;
}

/**
 * The service shows harm: a symptom metric moved or it logs new errors in volume. Traffic the WAF
 * already blocks never reaches the service: only failures users see count as its harm, not more
 * requests or more CPU.
 */
function serviceHurt(a: Analysis, blocked = false): boolean {
  const self = lower(a.snap.service);
  const kinds = blocked
    ? ['errors', 'latency', 'availability']
    : ['errors', 'latency', 'availability', 'traffic', 'cpu'];
  const moved = a.views.some(
    (v) => (v.relation === 'self' || v.isAlertMetric) && isAnomalous(v) && kinds.includes(v.kind),
  );
  const errors = a.signatures.some(
    (s) => s.isNew && lower(s.sig.service) === self && s.sig.count >= 50 && s.cls !== 'error',
  );
  return moved || errors;
}

/**
 * The catalog service a finding's text is about: named outright, or by every part of its name as a
 * word of the text (`ci-jenkins` in "ci.example.org serves Jenkins 2.117"), one part distinctive
 * (5+ letters) so that short parts alone never decide.
 */
export function assetNamed(a: Analysis, issue: SecurityIssue): string | undefined {
  const text = issue.signals.map((s) => s.detail).join('\n');
  const names = a.snap.catalog.names();
  const exact = mentionedNames(text, names)[0];
  if (exact) return exact;
  const byParts = names.filter((n) => namedByParts(text, n));
  return byParts.length === 1 ? byParts[0] : undefined;
}

/**
 * Logins tried and refused hurt availability only through the load they add: a few hundred tries
 * in an hour against a service answering thousands of requests a minute load nothing. Compared with
 * the service's own requests over the hour before the onset.
 */
function negligibleLoad(a: Analysis, issue: SecurityIssue): boolean {
  if (issue.pattern !== 'failed-logins') return false;
  const from = ms(a.onset) - 60 * 60_000;
  const hourly = a.views
    .filter((v) => v.relation === 'self' && v.kind === 'traffic')
    .map((v) =>
      v.series.points.filter(([t]) => ms(t) >= from && ms(t) < ms(a.onset)).reduce((n, [, x]) => n + x, 0),
    );
  return hourly.length > 0 && issue.count < 0.02 * Math.max(...hourly);
}

/**
 * Odd behaviour our own detectors flag (sessions used from two devices, a role doing new things)
 * with no outsider behind it (no attacking address, no stolen principal or key), beginning as a
 * change on the affected path landed, is most often that change misbehaving: a cache that now
 * serves one user's session to another looks exactly like hijacking. The change, if any.
 */
function changeBehind(a: Analysis, issue: SecurityIssue): ScoredChange | undefined {
  if (issue.pattern !== 'iam-anomaly' && issue.pattern !== 'finding') return undefined;
  if (networkSources(issue).length || issue.principals.length || issue.keys.length) return undefined;
  return a.changes.find(linedUpWithOnset);
}

/** The identity in a change's actor: `maintainer:jdoe`, `arn:aws:iam::1:user/jdoe`, `jdoe@corp`. */
const identityOf = (actor: string): string => lower(actor.split(/[:/]/).at(-1)!.split('@')[0]);

/**
 * Changes made by an identity the security tooling flagged (a sign-in from a new country, a
 * breached password) after it flagged it, up to the onset: what the intruder did with the
 * account. A deploy or a publish that looks like an ordinary change is then the attack's work.
 * Identities of four characters or more only, and only as a whole word of the signals' text.
 */
function actedAfterFlag(a: Analysis, issue: SecurityIssue): ScoredChange[] {
  if (issue.pattern === 'flood' || issue.pattern === 'waf-blocks') return [];
  const text = lower(issue.signals.map((s) => s.detail).join('\n'));
  return a.changes
    .filter((c) => {
      const id = c.change.actor ? identityOf(c.change.actor) : '';
      return (
        id.length >= 4 &&
        ms(c.change.at) >= ms(issue.at) &&
        ms(c.change.at) <= ms(a.onset) + LATE_MS &&
        mentionsWord(text, id)
      );
    })
    .sort((x, y) => ms(x.change.at) - ms(y.change.at));
}

/**
 * Two detectors of different kinds (GuardDuty and Access Analyzer, a finding and a scanner) name
 * the same principal: the breach is corroborated, and a change made in the same hour to some other
 * identity explains none of what they saw.
 */
function namedByTwo(signals: readonly SecuritySignal[], principal: string): boolean {
  const kinds = new Set(
    signals
      .filter((sg) => mentionsWord(lower(sg.detail), lower(principal)))
      .map((sg) => `${sg.kind}|${sg.source ?? ''}`),
  );
  return kinds.size >= 2;
}

/** The application account a stolen session or token belongs to (`Admin person_id=2 JWT`, `user 4411's session`). */
const ACCOUNT =
  /\b((?:admin|user|account|member)\b[^;,()\n]{0,30}?)\s*(?:'s\s+)?\b(?:jwt|session|cookie|token)\b/i;
const accountIn = (issue: SecurityIssue): string | undefined => {
  for (const sg of issue.signals) {
    // Its identifier, in the plain form an action parameter takes (`person_id=2` → `person_id:2`).
    const id = ACCOUNT.exec(sg.detail)?.[1].trim().split(/\s+/).at(-1)?.replace(/=/g, ':');
    if (id && isSafeParamValue(id)) return id;
  }
  return undefined;
};

export function explainSecurity(a: Analysis): Candidate[] {
  const self = a.snap.service;
  const issues = timelyIssues(a);
  if (!issues.length) return [];
  const hurt = serviceHurt(a);
  const principals = uniq(issues.flatMap((i) => i.principals));
  const keys = uniq(issues.flatMap((i) => i.keys));
  const breach = issues.some(
    (i) => i.pattern === 'leaked-credentials' || (i.pattern !== 'waf-blocks' && i.principals.length > 0),
  );
  const genuine = genuineTraffic(issues.flatMap((i) => i.signals));
  const out: Candidate[] = [];
  for (const issue of issues) {
    const held = providerHold(a, issue);
    if (held) {
      out.push(held);
      continue;
    }
    const ips = networkSources(issue);
    const attack =
      issue.pattern === 'failed-logins' ||
      issue.pattern === 'waf-blocks' ||
      issue.pattern === 'flood' ||
      issue.pattern === 'abuse';
    const acted = actedAfterFlag(a, issue);
    // An application's own session or token in someone else's hands names an account of the
    // application, not an AWS principal: its sessions are what to revoke.
    const account =
      issue.pattern === 'leaked-credentials' && !principals.length ? accountIn(issue) : undefined;
    const credential = (breach && principals.length > 0 && !attack) || acted.length > 0 || !!account;
    // The service to act on: the affected one, or a catalog service a principal belongs to.
    const owner = self ?? mentionedNames(principals.join(' '), a.snap.catalog.names())[0];
    const principal = acted.length ? identityOf(acted[0].change.actor!) : (principals[0] ?? account);
    // An IAM user's programmatic credentials are long-term access keys (a role's are temporary).
    const iamUser = issue.signals.some((sg) => /\bIAM ?User\b/i.test(sg.detail));
    const mitigation = credential
      ? action(
          'rotate-credentials',
          owner,
          a.knownNames,
          `${principal}'s credentials are exposed and in use by someone else: rotate them and revoke sessions`,
          {
            principal,
            ...(keys[0] ? { accessKeyId: keys[0] } : {}),
          },
        )
      : attack && hurt
        ? action(
            'block-traffic',
            owner,
            a.knownNames,
            `block ${ips.length ? ips.join(', ') : 'the attacking sources'} in front of ${owner}`,
            // One CIDR per action: the WAF adapter blocks a single range, the loudest source first.
            blockParams(ips),
          )
        : null;
    let confidence = issue.score;
    if (attack && !(issue.pattern === 'waf-blocks' ? serviceHurt(a, true) : hurt)) confidence = LEAD_ONLY;
    if (credential) confidence = Math.max(confidence, namedByTwo(a.snap.security, principal) ? 0.95 : 0.85);
    // An attack that began well after the users' trouble, or that its own tooling calls business as
    // usual, did not start it.
    if (attack && ms(issue.at) > ms(a.onset) + LATE_MS) confidence = Math.min(confidence * 0.4, LEAD_ONLY);
    if (issue.signals.every((sg) => USUAL.test(sg.detail))) confidence = Math.min(confidence, LEAD_ONLY);
    if (attack && issue.pattern !== 'failed-logins' && genuine) confidence = Math.min(confidence, LEAD_ONLY);
    if (!credential && negligibleLoad(a, issue)) confidence = Math.min(confidence, LEAD_ONLY);
    const behind = credential ? undefined : changeBehind(a, issue);
    if (behind) confidence *= 0.5;
    // Who reported a finding (a scanner, a researcher's mail, a bug-bounty platform) is not what it
    // is about: the culprit is the asset of ours it names, else the attacking address.
    const culprit = credential
      ? principal
      : (ips[0] ?? (attack ? undefined : assetNamed(a, issue)) ?? issue.sources[0] ?? issue.pattern);
    const detail = headline(issue.signals[0].detail).slice(0, 160);
    // Shield's detection and the WAF's blocks are one attack seen twice: named once, as a DDoS.
    const ddos = attack && issues.some((i) => i.signals.some((sg) => DDOS.test(`${sg.kind} ${sg.detail}`)));
    const alsoSeen = attack
      ? issues.find(
          (i) =>
            i !== issue &&
            i.pattern !== issue.pattern &&
            (i.pattern === 'flood' || i.pattern === 'waf-blocks'),
        )
      : undefined;
    out.push({
      category: 'security',
      culprit,
      summary: credential
        ? `Credentials of ${principal}${keys[0] ? ` (access key ${keys[0]})` : iamUser ? ' (an IAM user: its long-term access keys)' : ''} are exposed and being used by an outsider against ${owner ?? 'the account'}: ${detail}.` +
          (acted.length
            ? ` After that, the account made ${acted.length === 1 ? 'a change' : `${acted.length} changes`}: ${acted
                .slice(0, 3)
                .map(
                  (c) =>
                    `${c.change.resource ?? c.service ?? c.change.summary.slice(0, 40)} at ${hhmm(c.change.at)}`,
                )
                .join(', ')} — the intruder's work, not a release of ours.`
            : '')
        : `${ddos ? 'A DDoS, ' : ''}${PATTERN_PHRASE[issue.pattern]} ${self ? `against ${self} ` : ''}from ${hhmm(issue.at)}: ${issue.count} ${issue.signals[0].kind} events` +
          `${issue.sources.length ? ` (${issue.sources.slice(0, 3).join(', ')})` : ''}: ${detail}` +
          `${alsoSeen ? `; also ${PATTERN_PHRASE[alsoSeen.pattern]} from ${hhmm(alsoSeen.at)}: ${headline(alsoSeen.signals[0].detail).slice(0, 120)}` : ''}.`,
      causalChain: [
        `${issue.signals[0].kind} from ${hhmm(issue.at)}${issue.sources.length ? ` (${issue.sources.slice(0, 3).join(', ')})` : ''}`,
        credential
          ? 'an outsider holds usable credentials'
          : `${self ?? 'the service'} receives hostile requests`,
        `${a.snap.alert?.title ?? 'the alert'} fired`,
      ],
      confidence: conf(confidence),
      ...(behind
        ? {
            against: `security (${culprit}): it began as ${behind.change.resource ?? behind.service ?? 'a change'} changed (${behind.change.summary.slice(0, 80)}), with no outsider behind it`,
          }
        : {}),
      evidence: uniq((credential ? issues.flatMap((i) => i.signals) : issue.signals).map((s) => s.id)),
      mitigation,
      specialists: ['security'],
      // When it began, so that equally supported, it ranks before what it caused.
      since: issue.at,
    });
  }
  return out
    .sort((x, y) => y.confidence - x.confidence)
    .filter((c, i, all) => all.findIndex((o) => lower(o.culprit) === lower(c.culprit)) === i);
}
