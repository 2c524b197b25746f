/**
 * Security patterns: credential stuffing and brute force (failed logins), hostile traffic (WAF
 * blocks, floods), threat findings (GuardDuty and the like), IAM anomalies and leaked keys.
 * Volume matters: a handful of failed logins is every Tuesday; thousands from one source is not.
 */
import type { SecuritySignal } from '../../../ports.js';

export type SecurityPattern =
  | 'failed-logins'
  | 'waf-blocks'
  | 'flood'
  | 'abuse'
  | 'finding'
  | 'iam-anomaly'
  | 'leaked-credentials';

export interface SecurityIssue {
  pattern: SecurityPattern;
  signals: SecuritySignal[];
  count: number;
  /** Sources named by the signals' structured `source` field (IPs, principals, keys). */
  sources: string[];
  /** IAM users/principals the signals name ("IAM user x", "principal x", "user/x"). */
  principals: string[];
  /** Access key ids the signals name. */
  keys: string[];
  at: string;
  score: number;
}

const PRINCIPAL =
  /(?:\bIAM ?user[: ]+|\bprincipal[: ]+|:user\/|userName"?[:=] ?"?|(?:\b(?:AKIA|ASIA)[A-Z0-9]{16}|<aws-access-key:[^>\s]{1,24}>) \((?:IAM ?)?user[: ]+)([A-Za-z0-9+=,.@_-]{2,64})/gi;
const ACCESS_KEY = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
/**
 * A role's session in an STS ARN (`assumed-role/edge-waf-role/i-0a6e…`), "x credentials were used",
 * or the owner of a token or key ("access token sgp_…a41c (owner ns-rel-eng, …)").
 */
const ROLE_USED =
  /:assumed-role\/([A-Za-z0-9+=,.@_-]{1,64})\/|\b([A-Za-z0-9+=,.@_-]{2,64}) credentials (?:were|was|are|have been|being) used\b|\b(?:token|key)\b[^()\n]{0,40}\(owner:? ([A-Za-z0-9+=,.@_-]{2,64})/gi;

/** Principals and keys named in security tooling's own text (GuardDuty, Health, CloudTrail Insights). */
export function principalsIn(text: string): { principals: string[]; keys: string[] } {
  const principals = [
    ...[...text.matchAll(PRINCIPAL)].map((m) => m[1]),
    ...[...text.matchAll(ROLE_USED)].map((m) => m[1] ?? m[2] ?? m[3]),
  ].map((p) => p.replace(/[.,]+$/, ''));
  const keys = [...text.matchAll(ACCESS_KEY)].map((m) => m[0]);
  return { principals: [...new Set(principals)], keys: [...new Set(keys)] };
}

/**
 * Short tokens (`syn`, `tor`, `c2`, `root`, `mfa`) are whole words: a signal's detail carries
 * principal and service names ("svc-backup-sync", "restore-test"), which must never choose its
 * pattern.
 */
const PATTERNS: Array<[SecurityPattern, RegExp]> = [
  [
    'leaked-credentials',
    /leak|exposed|compromis|public(ly)? (repo|commit|github)|secret.?(scan|detected|found)|credential.?(exfil|exposure)|instancecredentialexfiltration|access.?key.*(github|pastebin)|credentials? (?:were|was|are|have been|being) used from outside (?:of )?aws|(?:token|credentials?|access key|api key)\b[^;\n]{0,120}\bused from\b[^;\n]{0,80}\b(?:never seen|first seen|new|unknown|unusual)\b|\b(?:jwt|session|cookie|token)\b[^;\n]{0,60}\bissued\b[^;\n]{0,60}\bused from\b/i,
  ],
  [
    'failed-logins',
    /failed.?login|login.?fail|brute|credential.?stuffing|auth(entication)?.?fail|invalid.?password|consolelogin.*fail|password.?spray|account.?takeover|takeover/i,
  ],
  // Hostile use of the product itself (spam, abusive posts, fake sign-ups): accounts, not packets,
  // but blocked in front of the service all the same.
  [
    'abuse',
    /\babus(e|ive)\b|\bspam(mers?|ming)?\b|fraudulent (sign.?ups?|accounts?|registrations?)|fake accounts?|mass.?mention/i,
  ],
  // `waf` beginning a word (`waf-block`, `aws.wafv2`): a role named after the WAF (`edge-waf-role`)
  // is not its blocks.
  ['waf-blocks', /(?<![\w-])waf|blocked|block.?rule|rate.?based|managed.?rule|bot.?control/i],
  // Traffic from many outside sources at once: reflection and amplification arrive as a flow
  // anomaly, not as requests.
  [
    'flood',
    /ddos|flood|\bsyn\b|volumetric|shield|request.?surge|scrap(er|ing)|reflect(ion|ed)|amplif|(flow|traffic|packet).?anomal|distinct sources/i,
  ],
  [
    'iam-anomaly',
    /\biam|\broot\b|assumerole|createuser|createaccesskey|attach.*policy|putrolepolicy|privilege|escalat|unusual.?api|anomal|\bmfa\b/i,
  ],
  [
    'finding',
    /guardduty|finding|unauthorizedaccess|\brecon(naissance)?\b|crypto.?min|trojan|backdoor|exfil|malicious|\bc2\b|\btor\b/i,
  ],
];

const BASE_SCORE: Record<SecurityPattern, number> = {
  'leaked-credentials': 0.8,
  'failed-logins': 0.45,
  'waf-blocks': 0.35,
  flood: 0.5,
  abuse: 0.5,
  'iam-anomaly': 0.55,
  finding: 0.5,
};

/**
 * What a tool says it did not see ("no credential compromise signals", "not matched") is not a
 * pattern: the clause after a negation is dropped before matching. "Never seen" says new, not absent.
 */
export const NEGATED = /\b(no|not|without|never(?! seen\b)|zero)\b[^.;,:()\n]*/gi;

/** A rule that only counted or reported (a WAF rule in count mode, a report-only CSP): the request went through. */
const LET_THROUGH =
  /\bcount mode\b|\baction\W{0,3}count\b|\breport-only\b|\bnot blocking\b|\bwas allowed\b|\bwere allowed\b/i;
/** What a rule matched in the request itself (an injection), as opposed to how many came (a rate). */
const HOSTILE_CONTENT =
  /cross.?site.?scripting|\bxss\b|sql.?injection|\bsqli\b|command injection|path traversal|\blfi\b|\brfi\b|log4j|\bssrf\b|connect-src|script-src/i;

export function securityPattern(s: SecuritySignal): SecurityPattern {
  // Hostile content a rule only counted reached the application: not a block at the edge, an
  // attempt that got in.
  if (LET_THROUGH.test(`${s.kind} ${s.detail}`) && HOSTILE_CONTENT.test(s.detail)) return 'finding';
  const text = `${s.kind} ${s.detail.replace(NEGATED, ' ')}`;
  for (const [p, re] of PATTERNS) if (re.test(text)) return p;
  return 'finding';
}

/**
 * The tooling's word that the requests it flagged are genuine clients': valid credentials or
 * tokens, authenticated users, legitimate traffic (negated clauses dropped first).
 */
const VOUCHED =
  /\bvalid\b[^.;]{0,60}\b(credentials?|tokens?|jwts?|api.?keys?|sessions?)\b|\bauthenticated (users?|clients?|requests?|customers?|sessions?)\b|\blegitimate (users?|clients?|traffic|requests?|customers?)\b/i;
/** A flag its own tool hedges. */
const HEDGED = /\b(possible|suspected|potential)\b|\bunconfirmed\b|\bnot (been )?confirmed\b|\bno attack\b/i;

/**
 * Traffic flagged at the edge (a rate rule, a DDoS detector) that the edge's own tooling vouches
 * for: one flag says the requests are genuine clients', and every other flag is hedged ("possible
 * DDoS, no attack vector confirmed"). A responder reads that as demand, not an attack. Login
 * attacks are never vouched for this way: stuffing uses valid credentials too.
 */
export function genuineTraffic(signals: SecuritySignal[]): boolean {
  const edge = signals.filter((s) => ['waf-blocks', 'flood'].includes(securityPattern(s)));
  const vouched = (s: SecuritySignal) => VOUCHED.test(s.detail.replace(NEGATED, ' '));
  return edge.some(vouched) && edge.every((s) => vouched(s) || HEDGED.test(s.detail));
}

// A masked address (`<ip:3f9a1c>`, domain/redaction/) is still an address to block.
const isIp = (s: string) =>
  /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(s) ||
  /^[0-9a-f:]+::?[0-9a-f:/]*$/i.test(s) ||
  /^<ip:[0-9a-f]{6}>(\/\d{1,3})?$/.test(s);
/** An access key id in a structured source field, as it is or masked (`<aws-access-key:…WXYZ>`). */
const isKey = (s: string) => /^(?:(?:AKIA|ASIA)[A-Z0-9]{16}|<aws-access-key:…[A-Z0-9]{4}>)$/.test(s);

/**
 * What a detector reports as not there: zero events counted ("No DDoS event detected"), or traffic
 * that fell away (inbound connections from one network fell to zero). An outsider who stopped
 * arriving is a symptom of reachability, not an attack.
 */
const ABSENT = /\b(?:fell|dropped|went down|decreased) to (?:zero|0|nothing)\b|\bstopped arriving\b/i;
export const reportsAbsence = (s: SecuritySignal): boolean => s.count === 0 || ABSENT.test(s.detail);

export function detectSecurity(signals: SecuritySignal[]): SecurityIssue[] {
  const groups = new Map<SecurityPattern, SecuritySignal[]>();
  for (const s of signals) {
    if (reportsAbsence(s)) continue;
    const p = securityPattern(s);
    groups.set(p, [...(groups.get(p) ?? []), s]);
  }
  const issues: SecurityIssue[] = [];
  for (const [pattern, list] of groups) {
    const count = list.reduce((n, s) => n + s.count, 0);
    const volume = Math.min(0.35, Math.log10(count + 1) * 0.1);
    const sources = [...new Set(list.map((s) => s.source).filter((x): x is string => !!x))];
    const named = principalsIn(list.map((s) => s.detail).join('\n'));
    issues.push({
      pattern,
      signals: list,
      count,
      sources,
      principals: named.principals,
      keys: [...new Set([...sources.filter(isKey), ...named.keys])],
      at: list.map((s) => s.at).sort()[0],
      score: Math.min(0.9, BASE_SCORE[pattern] + volume),
    });
  }
  return issues.sort((a, b) => b.score - a.score);
}

/** Sources that are network addresses (blockable), as opposed to principals or keys. */
export const networkSources = (issue: SecurityIssue): string[] => issue.sources.filter(isIp);

/** The block-traffic parameter for the loudest source: one CIDR per action, an address as a /32. */
export const blockParams = (ips: string[]): { cidr: string } | Record<string, never> =>
  ips.length ? { cidr: ips[0].includes('/') ? ips[0] : `${ips[0]}/32` } : {};
