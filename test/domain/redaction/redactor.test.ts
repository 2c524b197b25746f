import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../domain/clock.js';
import { parseConfig } from '../../../domain/config.js';
import { noEvidence } from '../../../domain/evidence/unavailable.js';
import { vetAction } from '../../../domain/mitigation/allow-list.js';
import type { Incident } from '../../../domain/model.js';
import type { Actions, Evidence } from '../../../domain/ports.js';
import { RevealingActions } from '../../../domain/redaction/actions.js';
import { RedactingEvidence } from '../../../domain/redaction/evidence.js';
import { PATTERNS } from '../../../domain/redaction/patterns.js';
import { parseRedactionPolicy, RedactionPolicy } from '../../../domain/redaction/policy.js';
import { Redaction } from '../../../domain/redaction/redactor.js';
import { parseDeployConfig } from '../../../lib/config.js';
import { anIncident } from '../../support/incidents.js';

const redaction = (policy: Partial<RedactionPolicy> = {}) => new Redaction(RedactionPolicy.parse(policy));
const r = redaction().forIncident('inc-20261120-1004-7f3a');

describe('the catalogue', () => {
  it('names a source for every pattern and compiles each one', () => {
    for (const p of PATTERNS) {
      expect(p.source.length, p.kind).toBeGreaterThan(10);
      expect(() => new RegExp(p.pattern, `${p.flags ?? ''}gd`)).not.toThrow();
    }
  });

  it.each([
    [
      'an AWS access key id keeps its last four',
      'key AKIAQ3PLANTED7RWXYZB leaked',
      'key <aws-access-key:…XYZB> leaked',
    ],
    [
      'an AWS secret key after its name',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      /^aws_secret_access_key = <aws-secret-key:[0-9a-f]{6}>$/,
    ],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', /^<github-token:[0-9a-f]{6}>$/],
    ['a GitLab token', 'glpat-abcdefghij0123456789', /^<gitlab-token:[0-9a-f]{6}>$/],
    ['a Slack token', 'xoxb-1234567890-abcdefghijkl', /^<slack-token:[0-9a-f]{6}>$/],
    ['a Stripe key', 'sk_live_abcdefghijklmnop1234', /^<stripe-key:[0-9a-f]{6}>$/],
    [
      'a JWT (inside a bearer header)',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0xx.c2lnbmF0dXJl',
      /^Authorization: Bearer <jwt:[0-9a-f]{6}>$/,
    ],
    [
      'a bearer token',
      'Authorization: Bearer a1b2c3d4e5f6',
      /^Authorization: Bearer <bearer-token:[0-9a-f]{6}>$/,
    ],
    ['basic auth', `Basic ${Buffer.from('u:p4ss').toString('base64')}`, /^Basic <basic-auth:[0-9a-f]{6}>$/],
    [
      'a private key block, even cut short',
      'got -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk',
      /^got <private-key:[0-9a-f]{6}>$/,
    ],
    [
      'the password of a connection URL',
      'mysql://app:s3cret@db:3306/x',
      /^mysql:\/\/app:<password:[0-9a-f]{6}>@db:3306\/x$/,
    ],
    [
      'a presigned URL signature',
      '?X-Amz-Date=1&X-Amz-Signature=abcdef0123&X-Amz-Expires=60',
      /^\?X-Amz-Date=1&X-Amz-Signature=<secret:[0-9a-f]{6}>&X-Amz-Expires=60$/,
    ],
    [
      'a connection-string password',
      'Server=db;Password=hunter22;',
      /^Server=db;Password=<secret:[0-9a-f]{6}>;$/,
    ],
    ['an email', 'from Jane.Doe@example.com', /^from <email:[0-9a-f]{6}>$/],
    ['a phone number (E.164 grouped)', 'call +44 20 7946 0958', /^call <phone:[0-9a-f]{6}>$/],
    ['a phone number (NANP)', 'call (415) 555-0199', /^call <phone:[0-9a-f]{6}>$/],
    ['a card that passes Luhn', 'card 5555-5555-5555-4444', /^card <card:[0-9a-f]{6}>$/],
    ['a US SSN', 'ssn 123-45-6789', /^ssn <us-ssn:[0-9a-f]{6}>$/],
    ['a UK National Insurance number', 'nino AB 12 34 56 C', /^nino <uk-nino:[0-9a-f]{6}>$/],
    ['a public IPv4 address, prefix kept', 'from 203.0.113.0/24', /^from <ip:[0-9a-f]{6}>\/24$/],
    ['a public IPv6 address', 'from 2001:db8::1', /^from <ip:[0-9a-f]{6}>$/],
  ])('masks %s', (_what, input, expected) => {
    const out = r.text(input);
    if (typeof expected === 'string') expect(out).toBe(expected);
    else expect(out).toMatch(expected);
  });

  it.each([
    ['a card number that fails Luhn', 'card 4111 1111 1111 1112'],
    ['an epoch in milliseconds', 'ts 1700000000000'],
    ['private and link-local addresses', 'from 10.0.3.4, 172.20.1.1, 192.168.0.9, 127.0.0.1, fe80::1'],
    ['versions, timestamps and metric values', 'v1.2.3 at 2026-09-29T04:26:00Z value 5.803001799E9'],
    ['prose about bearer and basic auth', 'Basic authentication failed; bearer authentication failed'],
  ])('leaves %s alone', (_what, input) => {
    expect(r.text(input)).toBe(input);
  });

  it('is stable within an incident, different in the next, and idempotent', () => {
    const text = 'user jane@example.com and JANE@example.com';
    const once = r.text(text);
    const [a, b] = once.match(/<email:[0-9a-f]{6}>/g) ?? [];
    expect(a).toBe(b);
    expect(r.text(once)).toBe(once);
    expect(redaction().forIncident('inc-other').text(text)).not.toBe(once);
  });

  it('masks keys and values of nested objects, keeping structural fields', () => {
    const out = r.deep({
      id: 'a@b.co',
      labels: { 'jane@example.com': 'x', owner: 'jane@example.com' },
      at: '1',
    });
    expect(out.id).toBe('a@b.co');
    expect(JSON.stringify(out)).not.toContain('jane@example.com');
  });
});

describe('the policy', () => {
  it('keeps IP addresses when switched off', () => {
    expect(redaction({ ipAddresses: 'keep' }).forIncident('i').text('from 203.0.113.7')).toBe(
      'from 203.0.113.7',
    );
  });

  it('adds patterns (a named group `v` marks the part to hide) and honours the allow-list', () => {
    const custom = redaction({
      patterns: [{ name: 'employee-id', pattern: 'EMP-(?<v>\\d{6})' }],
      allow: ['support@acme\\.example'],
    }).forIncident('i');
    expect(custom.text('EMP-123456 mailed support@acme.example and bob@acme.example')).toMatch(
      /^EMP-<employee-id:[0-9a-f]{6}> mailed support@acme\.example and <email:[0-9a-f]{6}>$/,
    );
  });

  it('names the bad pattern: invalid, empty-matching, and a bad allow-list entry', () => {
    expect(() =>
      parseRedactionPolicy(
        JSON.stringify({
          patterns: [
            { name: 'employee-id', pattern: 'EMP-(\\d{6}' },
            { name: 'anything', pattern: 'x*' },
          ],
          allow: ['[unclosed'],
        }),
      ),
    ).toThrow(
      expect.objectContaining({
        issues: [
          expect.stringMatching(
            /^patterns\.0\.pattern: pattern "employee-id": "EMP-\(\\\\d\{6\}" is not a valid regular expression/,
          ),
          expect.stringMatching(/^patterns\.1\.pattern: pattern "anything": "x\*" matches the empty string/),
          expect.stringMatching(
            /^allow\.0: allow-list entry "\[unclosed": .* not a valid regular expression/,
          ),
        ],
      }),
    );
  });

  it('is part of the deploy configuration: the bad pattern stops synthesis, the good one reaches the Lambdas', () => {
    expect(() =>
      parseDeployConfig(
        { redaction: { patterns: [{ name: 'order', pattern: '(' }] } },
        'firebreak.config.json',
      ),
    ).toThrow(/redaction\.patterns\.0\.pattern: pattern "order": "\(" is not a valid regular expression/);
    const ok = parseDeployConfig({ redaction: { ipAddresses: 'keep', allow: ['x'] } });
    expect(ok.runtime.redaction).toEqual({ ipAddresses: 'keep', patterns: [], allow: ['x'] });
    expect(parseConfig(JSON.parse(JSON.stringify(ok.runtime))).redaction.ipAddresses).toBe('keep');
    expect(() => parseDeployConfig({ response: { redaction: {} } })).toThrow(
      /response\.redaction: set redaction instead/,
    );
  });
});

const incident: Incident = anIncident({
  id: 'inc-20261120-1004-7f3a',
  status: 'ACTIVE',
  title: 't',
  service: undefined,
  services: ['identity-api'],
  fingerprint: 'f',
  detectedAt: '2026-11-20T10:04:00.000Z',
  updatedAt: '2026-11-20T10:04:00.000Z',
});

const rawEvidence: Evidence = {
  ...noEvidence,
  security: async () => [
    {
      id: 's1',
      kind: 'failed-login',
      at: '2026-11-20T10:00:00Z',
      source: '198.51.100.23',
      count: 900,
      detail: 'from 198.51.100.23 and 203.0.113.9',
    },
    {
      id: 's2',
      kind: 'aws-health',
      at: '2026-11-20T10:00:00Z',
      source: 'AKIAQ3PLANTED7RWXYZB',
      count: 1,
      detail: 'x',
    },
  ],
};

describe('evidence and actions', () => {
  const policy = redaction();
  const rr = policy.forIncident(incident.id);

  it('RedactingEvidence masks every answer of the adapter it wraps', async () => {
    const masked = await new RedactingEvidence(rawEvidence, () => rr).security({ from: '', to: '' });
    expect(JSON.stringify(masked)).not.toMatch(/198\.51|AKIAQ3/);
    expect(masked[0].source).toMatch(/^<ip:[0-9a-f]{6}>$/);
  });

  it('RevealingActions runs the adapter with the values structured fields hold, and masks its outcome', async () => {
    const seen: unknown[] = [];
    const inner: Actions = {
      execute: async (action) => {
        seen.push(action.params);
        return {
          status: 'dry-run',
          detail: `block ${action.params.cidr}`,
          resolvedParams: { cidr: String(action.params.cidr) },
        };
      },
    };
    const actions = new RevealingActions(
      inner,
      rawEvidence,
      policy,
      new SimulatedClock(new Date('2026-11-20T10:10:00Z')),
    );
    const ip = rr.text('198.51.100.23');
    const key = rr.text('AKIAQ3PLANTED7RWXYZB');
    const vetted = vetAction(
      { kind: 'block-traffic', target: 'identity-api', params: { cidr: `${ip}/32` }, rationale: '' },
      new Set(['identity-api']),
    );
    expect(vetted.ok).toBe(true);
    const out = await actions.execute(
      { kind: 'block-traffic', target: 'identity-api', params: { cidr: `${ip}/32` }, rationale: '' },
      { dryRun: true, incident },
    );
    expect(seen).toEqual([{ cidr: '198.51.100.23/32' }]);
    expect(out.detail).toBe(`block ${ip}/32`);
    expect(out.resolvedParams).toEqual({ cidr: `${ip}/32` });
    await actions.execute(
      { kind: 'rotate-credentials', target: 'identity-api', params: { accessKeyId: key }, rationale: '' },
      { dryRun: false, incident },
    );
    expect(seen.at(-1)).toEqual({ accessKeyId: 'AKIAQ3PLANTED7RWXYZB' });
  });

  it('refuses a value that only redacted text held: never acted on from text', async () => {
    const inner: Actions = { execute: async () => ({ status: 'applied', detail: 'ran' }) };
    const actions = new RevealingActions(
      inner,
      rawEvidence,
      policy,
      new SimulatedClock(new Date('2026-11-20T10:10:00Z')),
    );
    // 203.0.113.9 appears in the signal's detail text only, not in a structured field.
    const out = await actions.execute(
      {
        kind: 'block-traffic',
        target: 'identity-api',
        params: { cidr: `${rr.text('203.0.113.9')}/32` },
        rationale: '',
      },
      { dryRun: false, incident },
    );
    expect(out.status).toBe('failed');
    expect(out.detail).toMatch(
      /cidr <ip:[0-9a-f]{6}> is masked and no structured evidence field holds its value/,
    );
  });
});
