/**
 * What redaction recognises, as data: one entry per kind, in priority order (an earlier entry wins
 * where two matches overlap), each with the public source its format comes from.
 *
 * Why our own catalogue rather than a library (evaluated on npm, 2026-10): secretlint
 * (@secretlint/core 13.1.0, MIT, very active) is a linter: async, a rule package per vendor, no
 * personal data and no replacement, and its preset lacks Stripe, GitLab and JWTs. redact-pii 3.4.0
 * (MIT, last release 2024-12) pulls in @google-cloud/dlp, knows US-English PII and few secret
 * formats, has no Luhn check and replaces with fixed words (no correlation). @redactpii/node
 * 1.0.17 (MIT, zero deps) covers US PII only and no secrets. None gives typed, salted placeholders;
 * wrapping one would still need this table for the rest, so the table is the catalogue.
 *
 * A pattern's named group `v` is the sensitive part (the rest of the match, such as `password=` or
 * `Bearer `, stays so the evidence still reads); without it the whole match is replaced.
 */

export type Check = 'luhn' | 'card-prefix' | 'basic-auth' | 'token-like' | 'phone-digits' | 'public-ip';

export interface PatternSpec {
  /** The placeholder's type: `<kind:…>`. */
  kind: string;
  pattern: string;
  flags?: string;
  /** How the placeholder identifies the value: a keyed hash (default) or the last four characters. */
  show?: 'hash' | 'tail4';
  /** Checks a match must pass to count (fewer false positives on ids, prose and timestamps). */
  checks?: Check[];
  /** Governed by the IP-address switch. */
  ip?: boolean;
  source: string;
}

export const PATTERNS: readonly PatternSpec[] = [
  {
    kind: 'private-key',
    // A log line cut short still hides the rest of the block: END is optional at end of text.
    pattern:
      '-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)',
    source: 'RFC 7468 (textual encodings of PKIX, PKCS and CMS structures), section 10/11',
  },
  {
    kind: 'password',
    // scheme://user:password@host — connection strings (postgres, mysql, mongodb, redis, amqp) and URLs.
    pattern: '\\b[a-z][a-z0-9+.-]{1,20}://[^\\s:/?#@]{1,100}:(?<v>(?!<)[^\\s/?#@]{1,200})@',
    flags: 'i',
    source: 'RFC 3986 section 3.2.1 (userinfo); PostgreSQL libpq connection URIs',
  },
  {
    kind: 'jwt',
    pattern: '\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*',
    source: 'RFC 7519 (JWT) / RFC 7515 compact serialisation: base64url of a JSON header starting {"',
  },
  {
    kind: 'slack-webhook',
    pattern: 'https://hooks\\.slack\\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,}',
    source: 'https://api.slack.com/messaging/webhooks',
  },
  {
    kind: 'slack-token',
    pattern: '\\bxox[abposre]-[A-Za-z0-9-]{10,}',
    source: 'https://api.slack.com/authentication/token-types',
  },
  {
    kind: 'github-token',
    pattern: '\\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})\\b',
    source:
      'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/',
  },
  {
    kind: 'gitlab-token',
    pattern: '\\bgl(?:pat|dt|rt|ptt|ft|cbt|imt|oas|soat|agent)-[A-Za-z0-9_-]{20,}',
    source: 'https://docs.gitlab.com/security/tokens/#token-prefixes',
  },
  {
    kind: 'stripe-key',
    pattern: '\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}\\b|\\bwhsec_[A-Za-z0-9]{24,}\\b',
    source: 'https://docs.stripe.com/keys (secret and restricted keys), webhook signing secrets',
  },
  {
    kind: 'aws-access-key',
    // Long-term (AKIA) and temporary (ASIA) access key ids; the last four stay, as the AWS console shows them.
    pattern: '(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])',
    show: 'tail4',
    source:
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
  },
  {
    kind: 'aws-secret-key',
    pattern:
      '(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret)["\']?\\s*[:=]\\s*["\']?(?<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])',
    flags: 'i',
    source:
      'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html; secretlint-rule-aws (AWSSecretAccessKey)',
  },
  {
    kind: 'bearer-token',
    pattern: '\\bBearer\\s+(?<v>(?!<)[A-Za-z0-9._~+/-]{8,}=*)',
    flags: 'i',
    checks: ['token-like'],
    source: 'RFC 6750 section 2.1 (b64token)',
  },
  {
    kind: 'basic-auth',
    pattern: '\\bBasic\\s+(?<v>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])',
    checks: ['basic-auth'],
    source: 'RFC 7617 section 2 (base64 of user-id ":" password)',
  },
  {
    kind: 'secret',
    // key=value and "key": "value" — query strings (presigned S3 URLs, SAS tokens), connection strings, JSON.
    pattern:
      '(?<![A-Za-z0-9])(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd|passphrase|secret|client_secret|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token|session[_-]?token|token|x-amz-signature|x-amz-security-token|signature|sig)["\']?\\s*[:=]\\s*["\']?(?<v>(?!<)[^\\s"\'&;,)}\\]]{3,})',
    flags: 'i',
    source:
      'OWASP Logging Cheat Sheet (data to exclude); https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html; Azure SAS `sig`',
  },
  {
    kind: 'email',
    pattern:
      '(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])',
    source: 'WHATWG HTML "valid e-mail address" (a practical subset of RFC 5322)',
  },
  {
    kind: 'card',
    pattern: '(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])',
    checks: ['card-prefix', 'luhn'],
    source: 'ISO/IEC 7812-1 (issuer prefixes, Luhn check digit, Annex B); PCI DSS 3.4',
  },
  {
    kind: 'us-ssn',
    pattern: '(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])',
    source: 'https://www.ssa.gov/employer/randomization.html (valid area/group/serial ranges)',
  },
  {
    kind: 'uk-nino',
    pattern:
      '\\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b',
    source: 'HMRC National Insurance Manual NIM39110 (format of a National Insurance number)',
  },
  {
    kind: 'phone',
    // E.164 (+ and up to 15 digits, optionally grouped) and North American 3-3-4 numbers.
    pattern:
      '(?<![\\w+.-])(?:\\+[1-9]\\d{0,2}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}|\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4})(?![\\w.-]*\\d)',
    checks: ['phone-digits'],
    source: 'ITU-T E.164; North American Numbering Plan (NPA-NXX-XXXX)',
  },
  {
    kind: 'ip',
    pattern:
      '(?<![\\w.])(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}(?![\\w]|\\.\\d)',
    checks: ['public-ip'],
    ip: true,
    source: 'RFC 791 dotted quad; private and special ranges (RFC 1918, 6598, 3927, 5735) stay visible',
  },
  {
    kind: 'ip',
    pattern: '(?<![\\w:.])(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{1,4}:){7})[0-9A-Fa-f:]{3,39}(?![\\w:])',
    checks: ['public-ip'],
    ip: true,
    source: 'RFC 4291 section 2.2 (IPv6 text form); fc00::/7, fe80::/10 and ::1 stay visible',
  },
];
