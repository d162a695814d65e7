/**
 * The web workspace in a real browser: Debian's Chromium driven by
 * playwright-core, against the whole local stack (Azurite, the Cosmos API
 * server, the durable runner, the HTTP host serving `/` and `/api`) with the
 * example genome analysed for real.
 *
 * Path: sign in as the development biologist, open the genome, see the
 * karyogram with its SV marks, filter the SV table, open an SV (evidence,
 * reads in igv.js through the BAM range route), review it (state + ACMG
 * class), then sign in as the development admin and find the review change in
 * the audit trail; again at a tablet viewport (1024x768, touch) and a phone
 * width. Screenshots: test-artifacts/screenshots/.
 *
 * Chromium is required: without it the test FAILS (CI installs it in .ci/run).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { LocalStack } from '../../functions/local/stack';
import { analyseToCompletion, startTestStack } from '../integration/testStack';
import { AS_ADMIN, withIdentity } from '../integration/devIdentity';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'test', 'data', 'example', 'example.bam');
const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
const CHROMIUM = process.env.LAG_CHROMIUM ?? '/usr/bin/chromium';
const sample = `w${Date.now().toString(36)}-example`;

interface SvItem {
  id: string;
  type: string;
  svlen: number;
  pairedEnd: number;
  splitReads: number;
  review: { state: string } | null;
}

let stack: LocalStack;
let tmp: string;
let browser: Browser;
let allSvs: SvItem[] = [];
/** The browser console's errors and warnings, shown when the read view does not load. */
const consoleLines: string[] = [];

/** Waits for igv.js to have drawn the reads; on failure, says what the page logged. */
async function readsShown(page: Page): Promise<void> {
  try {
    await page.locator('[data-testid=igv][data-ready=true]').waitFor({ timeout: 30_000 });
  } catch (e) {
    const shown = await page.locator('[data-testid=igv]').textContent().catch(() => '');
    throw new Error(`the read view did not load (${shown}); browser console:\n${consoleLines.join('\n')}`, { cause: e });
  }
}

async function api<T>(route: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const r = await fetch(`${stack.url}/api/${route}`, withIdentity(AS_ADMIN, init));
  return { status: r.status, body: (await r.json()) as T };
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}, which is missing: install Debian's package (apt-get install -y chromium; .ci/run does) or set LAG_CHROMIUM to its path`,
    );
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lag-browser-'));
  Object.assign(process.env, { LAG_WINDOW_SIZE: '600000', LAG_WINDOW_OVERLAP: '100000', LAG_RETRY_FIRST_INTERVAL_MS: '50' });
  stack = await startTestStack(tmp);
  // The example genome, analysed for real.
  await analyseToCompletion(stack, EXAMPLE, sample);
  allSvs = (await api<{ items: SvItem[] }>(`samples/${sample}/svs?pageSize=1000`)).body.items;

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.runner.idle();
  await stack?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page that records script errors and the answers of the BAM route. */
async function newPage(context: BrowserContext): Promise<{ page: Page; errors: string[]; bamStatuses: number[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const bamStatuses: number[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) consoleLines.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
    if (/\/api\/samples\/[^/]+\/bam(\/index)?$/.test(new URL(r.url()).pathname)) bamStatuses.push(r.status());
  });
  return { page, errors, bamStatuses };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
}

async function signIn(page: Page, as: 'biologist' | 'admin', tap = false): Promise<void> {
  await page.goto(`${stack.url}/`);
  const button = page.locator(`[data-testid=signin-${as}]`);
  await button.waitFor();
  if (tap) await button.tap();
  else await button.click();
  await page.locator('[data-testid=user]').waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.locator('[data-testid=sign-out]').click();
  await page.locator('[data-testid=signin-admin]').waitFor();
}

describe('the web workspace on the example genome', () => {
  test('the example was analysed with SVs to show', () => {
    expect(allSvs.length).toBeGreaterThan(1);
  });

  test('desktop: sign in as biologist, karyogram, filter, open an SV, review it; the admin sees the audit entry', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' });
    const { page, errors, bamStatuses } = await newPage(context);
    try {
      await signIn(page, 'biologist');
      expect(await page.locator('[data-testid=user]').textContent()).toContain('biologiste-dev');

      // Samples list: the example, completed. French by default.
      const row = page.locator(`tr[data-sample-id="${sample}"]`);
      await row.waitFor();
      expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('completed');
      expect(await page.locator('h1').textContent()).toBe('Échantillons');
      await shot(page, 'desktop-01-samples.png');

      // Genome view: karyogram with one mark per SV, copy-number plot.
      await row.click();
      await page.locator('[data-testid=karyogram]').waitFor();
      await expect(page.locator('[data-testid=karyogram] .sv-mark').count()).resolves.toBe(allSvs.length);
      await page.locator('[data-testid=copy-number-plot]').waitFor();
      await expect(page.locator('[data-testid=copy-number-plot] .cn-call').count()).resolves.toBe(allSvs.filter((s) => s.type === 'DEL' || s.type === 'DUP').length);
      await page.locator('[data-testid=sv-table] tbody tr').first().waitFor();
      await shot(page, 'desktop-02-genome.png');

      // Filter: DEL of at least the median size.
      const sizes = allSvs.filter((s) => s.type === 'DEL').map((s) => s.svlen).sort((a, b) => a - b);
      const minSize = sizes[Math.floor(sizes.length / 2)]!;
      const expected = sizes.filter((s) => s >= minSize).length;
      expect(expected).toBeLessThan(allSvs.length);
      await page.locator('[data-testid=sv-filters] select[name=type]').selectOption('DEL');
      await page.locator('[data-testid=sv-filters] input[name=minSize]').fill(String(minSize));
      await page.locator('[data-testid=apply-filters]').click();
      await page.locator(`[data-testid=sv-count][data-count="${expected}"]`).waitFor();
      const rows = page.locator('[data-testid=sv-table] tbody tr');
      await expect(rows.count()).resolves.toBe(expected);
      for (const r of await rows.all()) {
        expect(await r.getAttribute('data-type')).toBe('DEL');
        expect(Number(await r.locator('[data-svlen]').getAttribute('data-svlen'))).toBeGreaterThanOrEqual(minSize);
      }
      await shot(page, 'desktop-03-filtered.png');

      // SV detail: evidence, genotype, score, reads from the BAM route.
      const svId = (await rows.first().getAttribute('data-sv-id'))!;
      const sv = allSvs.find((s) => s.id === svId)!;
      await rows.first().click();
      await page.locator('[data-testid=sv-title]').waitFor();
      expect(await page.locator('[data-testid=paired-end]').textContent()).toBe(String(sv.pairedEnd));
      expect(await page.locator('[data-testid=split-reads]').textContent()).toBe(String(sv.splitReads));
      await readsShown(page);
      expect(bamStatuses).toContain(206);
      expect(bamStatuses.every((s) => s === 200 || s === 206)).toBe(true);

      // Review (needs the review routes): confirmed, likely pathogenic, with a comment.
      await page.locator('[data-testid=save-review]').waitFor();
      await page.locator('label.state-confirmed').click();
      await page.locator('[data-testid=acmg]').selectOption('likely-pathogenic');
      await page.locator('[data-testid=comment]').fill('Délétion confirmée (test navigateur)');
      await page.locator('[data-testid=save-review]').click();
      await page.locator('[data-testid=review-status][data-saved="1"]').waitFor();
      expect(await page.locator('[data-testid=review-current]').getAttribute('data-state')).toBe('confirmed');
      await shot(page, 'desktop-04-sv-reviewed.png');
      const stored = await api<{ state: string; acmgClass: string; by: { name: string } }>(`samples/${sample}/svs/${svId}/review`);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ state: 'confirmed', acmgClass: 'likely-pathogenic', by: { name: 'biologiste-dev' } });

      // The biologist has no audit link; the admin has, and sees the change.
      expect(await page.locator('[data-testid=nav-audit]').count()).toBe(0);
      await signOut(page);
      await page.locator('[data-testid=signin-admin]').click();
      await page.locator('[data-testid=nav-audit]').click();
      await page.locator('[data-testid=audit-sample]').fill(sample);
      await page.locator('[data-testid=audit-sample]').press('Enter');
      const entry = page.locator(`[data-testid=audit-table] tr[data-action="review-change"][data-sv-id="${svId}"]`);
      await entry.first().waitFor();
      expect(await entry.first().textContent()).toContain('biologiste-dev');
      await shot(page, 'desktop-05-audit.png');

      // English on demand.
      await page.locator('[data-testid=lang-switch]').click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Audit trail');
      await page.locator('[data-testid=lang-switch]').click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Journal d’audit');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test('tablet (1024x768, touch): sign in, karyogram, tap an SV mark, change its review', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
    const { page, errors } = await newPage(context);
    try {
      await signIn(page, 'biologist', true);
      const row = page.locator(`tr[data-sample-id="${sample}"]`);
      await row.waitFor();
      await shot(page, 'tablet-01-samples.png');
      await row.tap();
      await page.locator('[data-testid=karyogram]').waitFor();
      await expect(page.locator('[data-testid=karyogram] .sv-mark').count()).resolves.toBe(allSvs.length);
      await page.locator('[data-testid=sv-table] tbody tr').first().waitFor();
      // Nothing wider than the screen but the scrollable plots and tables.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
      await shot(page, 'tablet-02-genome.png');

      // Touch targets: the filter controls and buttons are at least 44 px high.
      for (const selector of ['[data-testid=apply-filters]', '[data-testid=sv-filters] select[name=type]', '[data-testid=sign-out]']) {
        const box = await page.locator(selector).boundingBox();
        expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
      }

      // Tap the first SV mark of the karyogram (the example's are far enough apart not to be grouped): its detail opens.
      await expect(page.locator('[data-testid=karyogram] .sv-cluster').count()).resolves.toBe(0);
      const mark = page.locator('[data-testid=karyogram] .sv-mark[role=button]').first();
      const svId = (await mark.getAttribute('data-sv-id'))!;
      await mark.scrollIntoViewIfNeeded();
      await mark.tap();
      await page.locator('[data-testid=sv-title]').waitFor();
      expect(page.url()).toContain(`/svs/${encodeURIComponent(svId)}`);
      await page.locator('[data-testid=save-review]').waitFor();
      const before = await page.locator('[data-testid=review-current]').getAttribute('data-version');
      await page.locator('label.state-uncertain').tap();
      await page.locator('[data-testid=acmg]').selectOption('uncertain-significance');
      await page.locator('[data-testid=save-review]').tap();
      const version = before ? Number(before) + 1 : 1;
      await page.locator(`[data-testid=review-status][data-saved="${version}"]`).waitFor();
      expect(await page.locator('[data-testid=review-current]').getAttribute('data-state')).toBe('uncertain');
      await readsShown(page);
      await shot(page, 'tablet-03-sv.png');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  test('phone width (390x844): the genome view fits, tables stack', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const { page, errors } = await newPage(context);
    try {
      await signIn(page, 'biologist', true);
      await page.goto(`${stack.url}/#/samples/${sample}`);
      await page.locator('[data-testid=karyogram]').waitFor();
      await page.locator('[data-testid=sv-table] tbody tr').first().waitFor();
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await shot(page, 'phone-01-genome.png');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
