/**
 * The console in a real browser (headless Chromium through puppeteer-core) against `firebreak
 * serve`'s server function, over incidents run from examples/scenarios: the list, an incident page
 * with its chart and cited evidence, a decision that lets a waiting run continue, forged and expired
 * approvals refused, planted markup inert, unknown ids a 404 page, live updates without reload, and
 * a review and a close made through the page with script off.
 * Screenshots go to test/artifacts/console/ (gitignored).
 *
 * Skipped, saying so, when no Chromium binary is found (CHROMIUM_PATH, or Debian's `chromium`);
 * .ci/run installs it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalStore } from '../../../adapters/embedded/dynamodb.js';
import { startServer } from '../../../bin/commands/serve.js';
import { OfflineAnalyst } from '../../../domain/analyst/offline/index.js';
import { approvalUrl } from '../../../domain/approval/links.js';
import type { Analyst } from '../../../domain/ports.js';
import { PROJECT_ROOT } from '../../../lib/bundling.js';
import { runIsWaiting } from '../../../local/approval-gate.js';
import { prepare, type RunSummary, runIncident } from '../../../local/runner.js';

const CHROMIUM = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
]
  .filter((p): p is string => !!p)
  .find((p) => existsSync(p));
if (!CHROMIUM)
  console.warn(
    'console browser tests SKIPPED: no Chromium binary found (apt-get install chromium, or set CHROMIUM_PATH)',
  );

const ARTIFACTS = join(PROJECT_ROOT, 'test', 'artifacts', 'console');
const SCENARIO = join(PROJECT_ROOT, 'examples', 'scenarios', 'checkout-5xx-after-deploy.json');
const OTHER = join(PROJECT_ROOT, 'examples', 'scenarios', 'billing-db-storage-full.json');
const LINK_KEY = 'browser-test-link-key-0123456789abcdef';
const scenario = () => JSON.parse(readFileSync(SCENARIO, 'utf8'));

/** The same incident with markup planted in the alert title, a log line and the model's answer. */
function planted() {
  const doc = scenario();
  doc.alert.payload.detail.alarmName = 'checkout-5xx <script>window.__owned=1</script>';
  doc.environment.logs.push({
    logGroup: '/ecs/prod/checkout',
    service: 'checkout',
    timestamp: '2026-03-10T14:03:00Z',
    level: 'ERROR',
    message: 'upstream said <script>window.__owned=2</script><img src=x onerror="window.__owned=2">',
    count: 9000,
  });
  return doc;
}
const modelAnswer = '<img src=x onerror="window.__owned=3"><script>window.__owned=3</script>';
const plantingAnalyst = (evidence: ConstructorParameters<typeof OfflineAnalyst>[0]): Analyst => {
  const inner = new OfflineAnalyst(evidence);
  return {
    name: 'offline',
    triage: (ctx) => inner.triage(ctx),
    investigate: (s, ctx) => inner.investigate(s, ctx),
    synthesize: async (f, ctx) => {
      const r = await inner.synthesize(f, ctx);
      return {
        ...r,
        value: { ...r.value, summary: `${r.value.summary} ${modelAnswer}`, causalChain: [modelAnswer] },
      };
    },
  };
};

describe.runIf(CHROMIUM)('the console in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-console-'));
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  let resolved: RunSummary;
  let evil: RunSummary;
  /** Its automation failed at Mitigate and its run ended: open, for a person to close. */
  let stopped: RunSummary;
  let waiting: { id: string; run: Promise<RunSummary> };
  const console_ = () => `${server.url}/console`;
  const shot = (name: string) =>
    Promise.all([
      page.screenshot({ path: join(ARTIFACTS, `${name}.png`) }),
      page.screenshot({ path: join(ARTIFACTS, `${name}-full.png`), fullPage: true }),
    ]);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    resolved = await runIncident(prepare(scenario()), { dataDir, approve: 'auto' });
    evil = await runIncident(prepare(planted()), { dataDir, approve: 'auto', analyst: plantingAnalyst });
    stopped = await runIncident(prepare(JSON.parse(readFileSync(OTHER, 'utf8'))), {
      dataDir,
      approve: 'auto',
      faults: { Mitigate: 'drill: Mitigate fails' },
    });
    process.env.FIREBREAK_APPROVAL_KEY = LINK_KEY;
    server = await startServer({
      port: 0,
      dataDir,
      approve: 'auto',
      noAuth: false,
      secrets: {},
      say: () => {},
    });
    // A run waiting for a human, beside serve (as `firebreak run --approve wait` in another terminal).
    const run = runIncident(prepare(scenario()), { dataDir, approve: 'wait', progress: () => {} });
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    let id: string | undefined;
    for (let i = 0; i < 200 && !id; i++) {
      const res = await fetch(`${console_()}/api/incidents?status=all&limit=10`);
      const rows = (await res.json()) as { incidents: Array<{ id: string }> };
      for (const r of rows.incidents) if (await runIsWaiting(dataDir, r.id)) id = r.id;
      if (!id) await sleep(100);
    }
    if (!id) throw new Error('the waiting run never asked for a decision');
    waiting = { id, run };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close({ drain: true });
    delete process.env.FIREBREAK_APPROVAL_KEY;
  });

  it('lists the incidents with severity, status, service, age and who is paged', async () => {
    await page.goto(`${console_()}/?status=all`);
    const rows = await page.$$eval('tr[data-incident]', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-incident'),
        cells: (tr.textContent ?? '')
          .split('\n')
          .map((c: string) => c.trim())
          .filter(Boolean),
      })),
    );
    expect(rows.map((r) => r.id)).toEqual(
      expect.arrayContaining([resolved.incidentId, evil.incidentId, waiting.id]),
    );
    const row = rows.find((r) => r.id === resolved.incidentId);
    expect(row?.cells.slice(0, 2)).toEqual(['SEV2', 'RESOLVED']);
    expect(row?.cells[3]).toBe('checkout');
    expect(row?.cells[5]).toBe('oncall, stakeholders');
    await shot('list');
  });

  it('shows the incident with the chart, its onset marker and the cited evidence', async () => {
    await page.goto(`${console_()}/incidents/${resolved.incidentId}`);
    expect(await page.$eval('#confidence', (e) => e.textContent)).toBe('90%');
    expect(await page.$$eval('svg.chart polyline', (l) => l.length)).toBeGreaterThan(0);
    const markers = await page.$$eval('svg.chart [data-marker]', (m) => [
      ...new Set(m.map((g) => g.getAttribute('data-marker'))),
    ]);
    expect(markers).toEqual(expect.arrayContaining(['onset', 'detection', 'change', 'mitigation']));
    // Every cited id the page links resolves to an evidence block on the page.
    const cites = await page.$$eval('#root-cause ~ p a.cite', (as) => as.map((a) => a.getAttribute('href')));
    expect(cites.length).toBe(3);
    for (const href of cites) expect(await page.$(href as string)).not.toBeNull();
    await page.click('a.cite[href^="#ev-log"]');
    const cited = await page.$eval('.evidence.log:target', (e) => e.textContent ?? '');
    expect(cited).toMatch(/5124×/);
    expect(cited).toContain("TypeError: Cannot read properties of null (reading 'amount')");
    await page.goto(`${console_()}/incidents/${resolved.incidentId}`);
    await shot('incident');
    await (await page.$('.evidence'))?.screenshot({ path: join(ARTIFACTS, 'incident-chart.png') });
  });

  it('keeps markup planted in an alert title, a log line and a model answer inert', async () => {
    for (const path of [`/incidents/${evil.incidentId}`, '/?status=all']) {
      await page.goto(`${console_()}${path}`);
      await sleep(200);
      expect(await page.evaluate('window.__owned')).toBeUndefined();
      // Only the console's own script; no element the planted text described.
      expect(await page.$$eval('script', (s) => s.map((e) => e.getAttribute('src')))).toEqual([
        '/console/assets/console.js',
      ]);
      expect(await page.$$('img')).toHaveLength(0);
    }
    const text = await page.$eval('body', (b) => b.textContent ?? '');
    expect(text).toContain('<script>window.__owned=1</script>');
    await page.goto(`${console_()}/incidents/${evil.incidentId}`);
    const body = await page.$eval('body', (b) => b.textContent ?? '');
    expect(body).toContain('window.__owned=2');
    expect(body).toContain(modelAnswer);
  });

  it('answers an unknown incident id with a 404 page', async () => {
    const res = await page.goto(`${console_()}/incidents/inc-20990101-0000-nope`);
    expect(res?.status()).toBe(404);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Not found');
  });

  it('refuses a forged decision and a forged or expired approval link, with nothing changed', async () => {
    const url = `${console_()}/incidents/${waiting.id}`;
    await page.goto(url);
    await page.$eval('form.approve input[name="sig"]', (i) => {
      (i as unknown as { value: string }).value = 'A'.repeat(43);
    });
    await page.type('form.approve input[name="by"]', 'mallory');
    const [forged] = await Promise.all([page.waitForNavigation(), page.click('#approve')]);
    expect(forged?.status()).toBe(403);
    const key = Buffer.from(LINK_KEY);
    const claims = {
      incidentId: waiting.id,
      decision: 'approve' as const,
      nonce: randomBytes(18).toString('base64url'),
    };
    const expired = await page.goto(
      approvalUrl(server.url, key, { ...claims, expiresAt: Math.floor(Date.now() / 1000) - 60 }),
    );
    expect(expired?.status()).toBe(410);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('Approval link expired');
    const wrongKey = await page.goto(
      approvalUrl(server.url, randomBytes(32), { ...claims, expiresAt: Math.floor(Date.now() / 1000) + 600 }),
    );
    expect(wrongKey?.status()).toBe(403);
    await page.goto(url);
    expect(await page.$eval('#mitigation .status', (e) => e.textContent)).toBe('awaiting-approval');
    expect(await page.$('#approve')).not.toBeNull();
    expect(await runIsWaiting(dataDir, waiting.id)).toBe(true);
  });

  it('approves from the page: the waiting run continues, and the open list updates without a reload', async () => {
    const list = await browser.newPage();
    await list.goto(`${console_()}/?status=all`);
    const statusCell = `tr[data-incident="${waiting.id}"] td.status`;
    expect(await list.$eval(statusCell, (e) => e.textContent)).not.toBe('RESOLVED');
    await page.bringToFront();
    await page.goto(`${console_()}/incidents/${waiting.id}`);
    await page.type('form.approve input[name="by"]', 'alice');
    const [decided] = await Promise.all([page.waitForNavigation(), page.click('#approve')]);
    expect(decided?.status()).toBe(200);
    expect(await page.$eval('main', (m) => m.textContent)).toContain('The waiting run took it');
    const summary = await waiting.run;
    expect(summary.status).toBe('RESOLVED');
    expect(summary.mitigation.status).toBe('applied');
    // In front, as a person watching it would have it: Chromium throttles timers in hidden tabs.
    await list.bringToFront();
    await list.waitForFunction(`document.querySelector('${statusCell}')?.textContent === 'RESOLVED'`, {
      timeout: 15_000,
    });
    await page.goto(`${console_()}/incidents/${waiting.id}`);
    expect(await page.$eval('#mitigation', (e) => e.textContent)).toMatch(/decided by console:alice /);
    await list.close();
  }, 60_000);

  it('reviews a resolved incident and closes an open one through the page, with script off', async () => {
    expect(stopped.status).toBe('ACTIVE');
    const plain = await browser.newPage();
    await plain.setJavaScriptEnabled(false);
    await plain.goto(`${console_()}/incidents/${resolved.incidentId}`);
    expect(await plain.$('form.close')).toBeNull();
    await plain.type('form.review input[name="by"]', 'carol');
    await plain.select('form.review select[name="verdict"]', 'correct');
    await plain.type('form.review input[name="culprit"]', 'checkout v2.14.0');
    const [reviewed] = await Promise.all([plain.waitForNavigation(), plain.click('#review-incident')]);
    expect(reviewed?.status()).toBe(200);
    expect(plain.url()).toBe(`${console_()}/incidents/${resolved.incidentId}`);
    expect(await plain.$eval('#review', (e) => e.textContent)).toMatch(
      /^correct \(100\/100\) by console:carol /,
    );

    await plain.goto(`${console_()}/incidents/${stopped.incidentId}`);
    await plain.type('form.close input[name="by"]', 'dave');
    await plain.type('form.close textarea[name="reason"]', 'storage extended by hand');
    const [closed] = await Promise.all([plain.waitForNavigation(), plain.click('#close-incident')]);
    expect(closed?.status()).toBe(200);
    expect(await plain.$eval('#status', (e) => e.textContent)).toBe('RESOLVED');
    await plain.close();

    const [incident, reviewedRecord, last] = await withLocalStore(dataDir, async (store) => [
      await store.get(stopped.incidentId),
      await store.get(resolved.incidentId),
      (await store.timeline(stopped.incidentId)).at(-1),
    ]);
    expect(reviewedRecord?.review).toMatchObject({ verdict: 'correct', by: 'console:carol', score: 100 });
    expect(reviewedRecord?.review?.confirmed?.culprit).toBe('checkout v2.14.0');
    expect(incident?.status).toBe('RESOLVED');
    expect(last).toMatchObject({
      type: 'closed',
      actor: 'console:dave',
      text: 'closed by hand as RESOLVED: storage extended by hand',
    });
  });
});
