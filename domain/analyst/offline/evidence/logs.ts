/**
 * Ranks and classifies error signatures. The Evidence port already groups lines into signatures;
 * here each one gets a failure class (connection pool, dependency, code defect, ...), whether it is
 * new since the incident began or chronic background noise, and a weight for ranking.
 * Log text is untrusted data: it is matched against patterns and known names, never obeyed.
 */
import type { Category } from '../../../model.js';
import type { LogSignature } from '../../../ports.js';
import { mentionedNames, ms } from '../measure.js';

export type LogClass =
  | 'db-connections'
  | 'database'
  | 'memory'
  | 'resource-leak'
  | 'throttling'
  | 'network'
  | 'dependency'
  | 'tls'
  | 'auth'
  | 'config'
  | 'security'
  | 'code'
  | 'timeout'
  | 'error';

const CLASSES: Array<[LogClass, RegExp]> = [
  [
    'throttling',
    /throttl|rate exceeded|too ?many ?requests|\b429\b|request ?limit ?exceeded|slowdown|TooManyRequestsException|concurrency limit|reserved concurrency|provisionedthroughputexceeded|capacity exceeded/i,
  ],
  [
    'db-connections',
    /timeout acquiring a connection|pool is (probably )?full|too many (connections|clients)|remaining connection slots|connection pool (is )?(exhausted|full)|could not (obtain|acquire|get) (a )?(database |db )?connection|max_connections|hikaripool.*(timeout|not available)|connection is not available|ER_CON_COUNT_ERROR/i,
  ],
  [
    'database',
    /deadlock|lock wait timeout|replica(tion)? lag|read-only transaction|statement timeout|canceling statement|slow query|database (is )?(unavailable|down)|ORA-\d+|SQLSTATE|PSQLException|relation .* does not exist|duplicate key|too many open transactions|disk full|no space left on device/i,
  ],
  [
    'resource-leak',
    /EMFILE|ENFILE|too many open files|file descriptors? (exhausted|limit)|fd leak|handle leak/i,
  ],
  [
    'memory',
    /out ?of ?memory|OOMKilled|oom-kill|heap (space|out)|killed process|memory limit|cannot allocate memory|MemoryError/i,
  ],
  [
    'tls',
    // "certificate" as a word: a table, field or route named after certificates (`client_certificates`,
    // `account.clientCertificates`, `/client-certificates`) is data, not a TLS failure, and so is
    // an ACM certificate's ARN (`:certificate/…`, the one an ALB access log records it served).
    /(?<![\w.:-])certificate(?![\w/-])|x509|CERT_HAS_EXPIRED|ssl handshake|tls handshake|unable to verify the first certificate|self[- ]signed/i,
  ],
  [
    'auth',
    /AccessDenied|not authorized to perform|UnauthorizedOperation|InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch|permission denied|is not authorized|forbidden: user/i,
  ],
  [
    'security',
    /invalid (password|credentials)|brute.?force|credential stuffing|password spray|sql injection|blocked by waf|malicious|too many failed (login|auth)/i,
  ],
  [
    'network',
    /ENOTFOUND|getaddrinfo|EAI_AGAIN|name resolution|could not resolve|dns (lookup|resolution)|no route to host|network (is )?unreachable|EHOSTUNREACH|ENETUNREACH|connection reset by peer|packet loss/i,
  ],
  [
    'config',
    /missing (required )?(env|config|configuration|environment variable|setting|parameter)|invalid (configuration|config)|configuration ?error|feature flag|unknown (config|setting|option)|not configured|ParameterNotFound|malformed config/i,
  ],
  [
    'code',
    /TypeError|ReferenceError|NullPointerException|NoneType|undefined is not|cannot read propert|IndexError|KeyError|AttributeError|panic:|segmentation fault|Traceback|unhandled (exception|rejection|promise)|NoMethodError|ClassCastException|ArgumentError|SyntaxError|IllegalStateException|IllegalArgumentException|ArrayIndexOutOfBounds|nil pointer|serializ|deserializ|JSON\.parse|unexpected token|assertion failed|stack overflow/i,
  ],
  [
    'dependency',
    /upstream|\b5\d\d from\b|returned (status )?5\d\d|response error StatusCode: 5\d\d|ECONNREFUSED|ECONNRESET|connection refused|socket hang up|circuit (breaker )?(is )?open|bad gateway|service unavailable|gateway timeout|\b50[234]\b|dependency|downstream|call(ing)? to .* failed|request to .* failed|ETIMEDOUT|connect timed out|can'?t connect to|cannot ?connect|unable to connect|failed to connect|could not connect to/i,
  ],
  ['timeout', /timeout|timed out|deadline exceeded|aborted after \d+ ?ms|AbortError/i],
];

/** A call that died reaching the other end: it timed out or could not connect. */
export const CONNECTING =
  /timed? ?out|timeout|can'?t connect|cannot ?connect|unable to connect|failed to connect|could not connect|ETIMEDOUT|EHOSTUNREACH|no route to host|network (is )?unreachable/i;

export const LOG_CLASS_CATEGORY: Record<LogClass, Category> = {
  'db-connections': 'database',
  database: 'database',
  memory: 'capacity',
  'resource-leak': 'code',
  throttling: 'capacity',
  network: 'network',
  dependency: 'dependency',
  tls: 'configuration',
  auth: 'configuration',
  config: 'configuration',
  security: 'security',
  code: 'code',
  timeout: 'dependency',
  error: 'unknown',
};

/** Levels that mark an error line (upper-case, as the Evidence port hands them over). */
export const ERROR_LEVELS = /^(ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|PANIC|EMERG|ALERT)$/;

export interface RankedSignature {
  sig: LogSignature;
  cls: LogClass;
  isError: boolean;
  /** First seen at or after the incident's onset: a new failure rather than background. */
  isNew: boolean;
  /** Known services/resources the line names. */
  mentions: string[];
  weight: number;
}

export function classifyLog(text: string): LogClass {
  for (const [cls, re] of CLASSES) if (re.test(text)) return cls;
  return 'error';
}

const looksLikeError = (s: LogSignature): boolean =>
  ERROR_LEVELS.test(s.level) ||
  ((s.level === 'WARN' || s.level === 'WARNING') &&
    classifyLog(s.sample) !== 'error' &&
    !/slow request|deprecated|duplicate delivery/i.test(s.sample));

/**
 * Error signatures, strongest first. `onset` is when the incident began; a signature first seen
 * more than `slackMin` minutes before it is chronic noise and weighs little.
 */
export function rankSignatures(
  logs: LogSignature[],
  opts: { onset: string; knownNames: string[]; slackMin?: number },
): RankedSignature[] {
  const slack = (opts.slackMin ?? 5) * 60_000;
  return logs
    .filter(looksLikeError)
    .map((sig) => {
      const cls = classifyLog(sig.sample);
      const isNew = ms(sig.firstSeen) >= ms(opts.onset) - slack;
      const levelWeight = ERROR_LEVELS.test(sig.level) ? 1 : 0.5;
      const weight = Math.log10(sig.count + 1) * levelWeight * (isNew ? 1 : 0.2);
      return {
        sig,
        cls,
        isError: true,
        isNew,
        mentions: mentionedNames(sig.sample, opts.knownNames),
        weight,
      };
    })
    .sort((a, b) => b.weight - a.weight);
}

/** How a summary names the failure mechanism of a class. */
const MECHANISM: Record<LogClass, string> = {
  'db-connections': 'database connection pool exhaustion',
  database: 'database errors',
  memory: 'memory exhaustion',
  'resource-leak': 'a resource leak (file descriptors / handles)',
  throttling: 'throttling',
  network: 'network failures',
  dependency: 'upstream errors (5xx, refused or reset connections)',
  tls: 'TLS/certificate failures',
  auth: 'permission (access denied) errors',
  config: 'configuration errors',
  security: 'authentication failures',
  code: 'an unhandled code error',
  timeout: 'timeouts',
  error: 'errors',
};

/** A code error that took its process down, in the runtime's or the supervisor's words. */
const CRASHED =
  /stack overflow|\bpanic:|segmentation fault|\bSIGSEGV\b|core dumped|code=killed|status=\d+\/(?:ABRT|SEGV|KILL)|fatal error:|process exited with (?:code|status) [1-9]/i;

export const mechanismOf = (s: Pick<RankedSignature, 'cls'> & { sig?: { sample: string } }): string =>
  s.cls === 'code' && s.sig && CRASHED.test(s.sig.sample)
    ? 'a crash (the process died)'
    : (MECHANISM[s.cls] ?? 'errors');

/** Classes that describe a failing call to something else. */
export const CALL_FAILURES: ReadonlySet<LogClass> = new Set([
  'dependency',
  'timeout',
  'network',
  'tls',
  'db-connections',
  'database',
  'throttling',
]);

/** Informational lines that announce a load change: a batch, a backfill, a replay, a reindex. */
export const LOAD_EVENT =
  /\b(batch|backfill|re-?index|replay|reprocess|migration|bulk|import|export|cron|scheduled job|job started|worker started|concurrency=\d+|fan-?out|resync|catch-?up)\b/i;
/** The same work said to be over ("export completed rows=182044"): its load has ended, not begun. */
export const LOAD_ENDED = /\b(completed|finished|done|ended|succeeded)\b/i;
