import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../../domain/analyst/offline/evidence/catalog.js';
import {
  changeFlavor,
  revertTarget,
  scoreChanges,
  timingWeight,
} from '../../../../domain/analyst/offline/evidence/changes.js';
import {
  classifyLog,
  mechanismOf,
  rankSignatures,
} from '../../../../domain/analyst/offline/evidence/logs.js';
import { detectSaturation } from '../../../../domain/analyst/offline/evidence/saturation.js';
import { detectSecurity, principalsIn } from '../../../../domain/analyst/offline/evidence/security.js';
import { readSeries } from '../../../../domain/analyst/offline/evidence/series.js';
import type { ChangeRecord, LogSignature } from '../../../../domain/ports.js';
import { api, at, series, stepPoints } from './fixtures.js';

const catalog = new Catalog([
  api('shop', ['shop-db', 'pricing']),
  { name: 'shop-db', tier: 'critical' },
  { name: 'pricing', tier: 'high' },
  { name: 'reports', tier: 'internal', dependsOn: ['shop-db'] },
  { name: 'blog', tier: 'standard' },
]);

const sig = (over: Partial<LogSignature>): LogSignature => ({
  id: `log:${over.service ?? 'shop'}:${over.sample?.length ?? 0}`,
  service: 'shop',
  level: 'ERROR',
  signature: over.sample ?? '',
  sample: '',
  count: 100,
  firstSeen: at(-10),
  lastSeen: at(-1),
  ...over,
});

const change = (over: Partial<ChangeRecord>): ChangeRecord => ({
  id: `change:${over.summary ?? 'x'}`,
  kind: 'change',
  at: at(-12),
  summary: 'something changed',
  ...over,
});

describe('log signatures', () => {
  it('classifies failure mechanisms', () => {
    expect(
      classifyLog('KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full.'),
    ).toBe('db-connections');
    expect(classifyLog("TypeError: Cannot read properties of undefined (reading 'currency')")).toBe('code');
    expect(classifyLog('Error: certificate has expired')).toBe('tls');
    expect(classifyLog('getaddrinfo ENOTFOUND api.vendor.example')).toBe('network');
    expect(classifyLog('retrying PutItem after ProvisionedThroughputExceededException')).toBe('throttling');
    expect(classifyLog('Error: EMFILE: too many open files')).toBe('resource-leak');
  });

  it("reads an AWS SDK call answered with a 5xx as the called service's failure, and a 4xx not", () => {
    const sdk = (status: number) =>
      `get credentials: failed to refresh cached credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: ${status}, RequestID: fa0e8bf2`;
    expect(classifyLog(sdk(500))).toBe('dependency');
    expect(classifyLog(sdk(400))).not.toBe('dependency');
  });

  it('calls a code error that took its process down a crash', () => {
    const said = (sample: string) => mechanismOf({ cls: classifyLog(sample), sig: { sample } });
    expect(said('Stack overflow.')).toContain('crash');
    expect(said('panic: runtime error: index out of range [3] with length 3')).toContain('crash');
    expect(said("TypeError: Cannot read properties of undefined (reading 'currency')")).not.toContain(
      'crash',
    );
  });

  it('does not read a table or field named after certificates as a TLS failure', () => {
    expect(
      classifyLog(
        'duration: 1322.7 ms  statement: SELECT "client_certificates".* FROM "client_certificates"',
      ),
    ).not.toBe('tls');
    expect(
      classifyLog(
        'slow job build: buildCheckRunJob took 4212ms (includes: Check.account.clientCertificates)',
      ),
    ).not.toBe('tls');
    // An ALB access log records the ARN of the ACM certificate it served.
    expect(
      classifyLog(
        'https 2026-05-01T11:46:02Z app/score/1 34.229.18.77:50432 - -1 -1 -1 502 - 1133 277 "POST https://api.example.io:443/v1/score HTTP/1.1" "curl/8" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-6" "api.example.io" "arn:aws:acm:us-east-1:111122223333:certificate/0a1b" 0',
      ),
    ).not.toBe('tls');
    expect(classifyLog('x509: certificate signed by unknown authority')).toBe('tls');
    expect(classifyLog('Error: certificate has expired')).toBe('tls');
    expect(classifyLog('SSL: CERTIFICATE_VERIFY_FAILED certificate verify failed')).toBe('tls');
  });

  it('does not mistake a system error on the login path for an attack', () => {
    expect(classifyLog('login failed: SessionStoreError: putSession timed out after 1500ms')).not.toBe(
      'security',
    );
  });

  it('weighs new signatures above chronic ones and names known services they mention', () => {
    const ranked = rankSignatures(
      [
        sig({ sample: 'upstream connect error calling pricing: ECONNREFUSED', count: 50, firstSeen: at(-8) }),
        sig({ sample: 'TypeError: x is undefined', count: 5000, firstSeen: at(-58) }),
        sig({ sample: 'GET /healthz 200', level: 'INFO', count: 9000 }),
      ],
      { onset: at(-9), knownNames: catalog.names() },
    );
    expect(ranked).toHaveLength(2);
    expect(ranked[0].cls).toBe('dependency');
    expect(ranked[0].isNew).toBe(true);
    expect(ranked[0].mentions).toEqual(['pricing']);
    expect(ranked[1].isNew).toBe(false);
  });
});

describe('change correlation', () => {
  it('trusts changes that land just before onset and doubts long quiet gaps and later ones', () => {
    expect(timingWeight(3, 'deployment')).toBe(1);
    expect(timingWeight(45, 'deployment')).toBeLessThan(0.6);
    expect(timingWeight(-4, 'deployment')).toBe(1);
    expect(timingWeight(-10, 'change')).toBeLessThan(0.1);
  });

  it('classifies what a change touched', () => {
    expect(changeFlavor(change({ summary: 'Flag new-checkout rollout changed from 10% to 100%' }))).toBe(
      'flag',
    );
    expect(changeFlavor(change({ summary: 'RevokeSecurityGroupIngress sg-1 port 5432' }))).toBe('network');
    expect(changeFlavor(change({ summary: 'PutFunctionConcurrency reservedConcurrentExecutions=5' }))).toBe(
      'capacity',
    );
    expect(changeFlavor(change({ status: 'PutRetentionPolicy', summary: 'retentionInDays=30' }))).toBe(
      'benign',
    );
    expect(
      changeFlavor(change({ actor: 'rds.amazonaws.com', status: 'RDS-EVENT-0049', summary: 'failover' })),
    ).toBe('platform');
  });

  it("reads a load balancer's or ingress controller's request routing as configuration, the network under it as network", () => {
    const flavor = (status: string, summary: string, resource?: string) =>
      changeFlavor(change({ status, summary, ...(resource ? { resource } : {}) }));
    expect(
      flavor(
        'ModifyRule',
        'Listener rule priority 1 (host api-internal) now forwards to k8s-dash',
        'arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/k8s-internal/1/2/3',
      ),
    ).toBe('config');
    expect(flavor('DeleteListener', 'HTTPS:443 listener deleted by the load balancer controller')).toBe(
      'config',
    );
    expect(
      flavor(
        'Update',
        'IngressRoute traefik-dashboard updated',
        'ingressroutes.traefik.io traefik/traefik-dashboard',
      ),
    ).toBe('config');
    // The same words beside the network underneath stay network.
    expect(
      flavor(
        'AuthorizeSecurityGroupIngress',
        'tcp/443 from 10.50.0.0/16',
        'sg-0b41e7d2 (internal ALB listener)',
      ),
    ).toBe('network');
    expect(flavor('RegisterTargets', 'register fw-appliance-c in target group db-fw')).toBe('network');
  });

  it('reads a change to a router or its routing protocol as a network change', () => {
    expect(
      changeFlavor(change({ summary: 'set loopback0 address on edge-rtr-3 and reset the router-id' })),
    ).toBe('network');
    expect(changeFlavor(change({ summary: 'BGP neighbor 10.0.0.1 hold timer 90 -> 9' }))).toBe('network');
  });

  it('reverts a change on the resource that changed only when that resource is a service we run', () => {
    const isService = (n: string) => ['quota-api', 'billing'].includes(n);
    // A limit set in a quota service on behalf of its consumer: the quota service is what changed.
    expect(revertTarget(change({ service: 'billing', resource: 'quota-api' }), undefined, isService)).toBe(
      'quota-api',
    );
    // A service's own sub-resource (its scaling group, a rule ARN) is reverted through the service.
    expect(revertTarget(change({ service: 'billing', resource: 'billing-use1' }), undefined, isService)).toBe(
      'billing',
    );
    expect(revertTarget(change({ resource: 'acl-0f3e9a' }), undefined, isService)).toBe('acl-0f3e9a');
  });

  it('ranks a corroborated deploy on the affected service above a change to an unrelated one', () => {
    const signatures = rankSignatures([sig({ sample: 'TypeError: boom', firstSeen: at(-9) })], {
      onset: at(-9),
      knownNames: catalog.names(),
    });
    const scored = scoreChanges(
      [
        {
          id: 'deploy:shop@v2',
          kind: 'deployment',
          service: 'shop',
          at: at(-11),
          summary: 'deploy',
          version: 'v2',
        },
        change({ id: 'change:blog', service: 'blog', at: at(-10), summary: 'blog theme' }),
        change({ id: 'change:late', service: 'shop', at: at(-1), summary: 'late tweak' }),
      ],
      { catalog, service: 'shop', onset: at(-9), alertAt: at(0), signatures, series: [] },
    );
    expect(scored[0].change.id).toBe('deploy:shop@v2');
    expect(scored[0].score).toBeGreaterThan(0.8);
    const blog = scored.find((s) => s.change.id === 'change:blog')!;
    const late = scored.find((s) => s.change.id === 'change:late')!;
    expect(blog.score).toBeLessThan(0.2);
    expect(blog.against).toMatch(/does not depend/);
    expect(late.score).toBeLessThan(0.2);
    expect(late.against).toMatch(/after the onset/);
  });

  it('treats an autoscaler reacting to load as a reaction, not a cause', () => {
    const [s] = scoreChanges(
      [
        change({
          service: 'shop',
          at: at(-9),
          actor: 'ecs.application-autoscaling.amazonaws.com',
          summary: 'set desired count to 8',
        }),
      ],
      { catalog, service: 'shop', onset: at(-9), alertAt: at(0), signatures: [], series: [] },
    );
    expect(s.score).toBeLessThan(0.25);
  });
});

describe('saturation', () => {
  const views = (metrics: ReturnType<typeof series>[]) =>
    readSeries(metrics, { catalog, service: 'shop', alertText: '', alertRaw: '' });

  it('sees a connection count pinned at a new ceiling', () => {
    const pts = stepPoints(180, 500, -15, 4).map(([t, v], i) => [t, i >= 45 ? 500 : v] as [string, number]);
    const [s] = detectSaturation(views([series('DatabaseConnections', pts, { service: 'shop-db' })]));
    expect(s.kind).toBe('connections');
    expect(s.resource).toBe('shop-db');
    expect(s.pinned).toBe(true);
  });

  it('reads consumed against provisioned capacity', () => {
    const consumed = stepPoints(15000, 36000, -10, 200);
    const provisioned = stepPoints(600, 600, 0, 0);
    const sat = detectSaturation(
      views([
        series('ConsumedWriteCapacityUnits', consumed, {
          service: 'shop-db',
          dimensions: { TableName: 'shop-db' },
        }),
        series('ProvisionedWriteCapacityUnits', provisioned, {
          service: 'shop-db',
          dimensions: { TableName: 'shop-db' },
        }),
      ]),
    );
    expect(sat.find((s) => s.kind === 'throttles')?.resource).toBe('shop-db');
  });

  it('leaves a steady CPU alone', () => {
    expect(
      detectSaturation(
        views([series('CPUUtilization', stepPoints(40, 40, 0, 2), { unit: 'Percent', service: 'shop' })]),
      ),
    ).toEqual([]);
  });
});

describe('security patterns', () => {
  it('groups signals by pattern and names principals and keys from the tooling text', () => {
    const issues = detectSecurity([
      {
        id: 's1',
        kind: 'aws-health',
        at: at(-30),
        count: 1,
        detail: 'Access key AKIAABCDEFGHIJKLMNOP belonging to IAM user svc-export was found on github.com',
      },
      {
        id: 's2',
        kind: 'failed-login',
        at: at(-5),
        count: 5000,
        source: '203.0.113.9',
        detail: 'failed logins',
      },
    ]);
    const leaked = issues.find((i) => i.pattern === 'leaked-credentials')!;
    expect(leaked.principals).toEqual(['svc-export']);
    expect(leaked.keys).toEqual(['AKIAABCDEFGHIJKLMNOP']);
    expect(issues.find((i) => i.pattern === 'failed-logins')?.sources).toEqual(['203.0.113.9']);
    expect(principalsIn('nothing to see').principals).toEqual([]);
  });

  it('reads the owner of a key from "key (user x)", whether the key is in clear or masked', () => {
    const said = (key: string) =>
      principalsIn(
        `access key ${key} (user proto-legacy-deploy, created 2011-10-14) used for the first time since 2013`,
      );
    expect(said('AKIAJ7Q2LKX4PROTO9ZA').principals).toEqual(['proto-legacy-deploy']);
    expect(said('<aws-access-key:…O9ZA>').principals).toEqual(['proto-legacy-deploy']);
    // "user x" on its own is anyone's word for a person, not an IAM principal.
    expect(principalsIn('user bsapp connected to users-db from 198.51.100.23').principals).toEqual([]);
  });

  it('never lets a principal or service name choose the pattern (short tokens are whole words)', () => {
    const finding = (detail: string) =>
      detectSecurity([{ id: 'g', kind: 'guardduty-finding', at: at(-5), count: 1, detail }])[0].pattern;
    // "sync" holds "syn", "restore" holds "tor", "diameter" holds "iam": none is a SYN flood, Tor or IAM.
    expect(finding('anomalous GetObject volume on backups-prod by IAMUser svc-backup-sync')).toBe(
      'iam-anomaly',
    );
    expect(finding('Recon:EC2/PortProbeUnprotectedPort on restore-test')).toBe('finding');
    expect(finding('SYN flood against the edge')).toBe('flood');
    expect(finding('API ListBuckets was invoked from a Tor exit node')).toBe('finding');
    // A role named after the WAF is not the WAF blocking anything.
    expect(finding('ListObjects on 700 buckets by assumed-role/edge-waf-role/i-0a6e from a VPN')).not.toBe(
      'waf-blocks',
    );
  });

  it("reads a role's credentials used from outside AWS as leaked, and names the role", () => {
    const [issue] = detectSecurity([
      {
        id: 't',
        kind: 'iam-anomaly',
        at: at(-5),
        count: 1,
        detail: 'edge-waf-role credentials were used from outside AWS on 2019-03-12 and 2019-03-22',
      },
    ]);
    expect(issue.pattern).toBe('leaked-credentials');
    expect(issue.principals).toEqual(['edge-waf-role']);
    expect(
      principalsIn(
        'GetCallerIdentity by arn:aws:sts::591738204466:assumed-role/edge-waf-role/i-0a6e2f91 from Tor',
      ).principals,
    ).toEqual(['edge-waf-role']);
    // A token used from a place its owner never used it from is leaked too; its owner is named.
    const [token] = detectSecurity([
      {
        id: 'k',
        kind: 'token-use-from-new-ip',
        at: at(-5),
        count: 1,
        detail:
          'site-admin access token sgp_…a41c (owner ns-rel-eng, last used from CI) used from 198.51.100.23 (never seen for this user)',
      },
    ]);
    expect(token.pattern).toBe('leaked-credentials');
    expect(token.principals).toEqual(['ns-rel-eng']);
    // The same role merely named is no principal caught in use.
    expect(principalsIn('edge-waf-role has s3:ListBucket on every bucket').principals).toEqual([]);
  });
});
