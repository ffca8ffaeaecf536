import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, type Finding } from '../../src/core/index.js';
import { formatHtml } from '../../src/reporters/html.js';
import { cleanup, runCli, tempTree } from '../cli/run.js';
import { INPUT } from './input.js';

/**
 * The HTML report in a real browser: the system Chromium (Debian package `chromium`; .ci/run
 * installs it), driven by puppeteer-core. Screenshots go to SECREVIEW_SCREENSHOTS when it is set.
 */
const CHROMIUM =
  process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
const examples = join(import.meta.dirname, '..', '..', 'examples');

let browser: Browser;
let dir: string;
/** Every request a page made other than loading its own file. */
const fetched: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('no Chromium: install the Debian package `chromium` or set CHROMIUM_PATH');
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  dir = await tempTree();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cleanup();
});

async function open(html: string, name: string): Promise<Page> {
  const file = join(dir, `${name}.html`);
  await writeFile(file, html);
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  const url = pathToFileURL(file).href;
  page.on('request', (r) => {
    if (r.url() !== url) fetched.push(r.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  expect(errors).toEqual([]);
  if (process.env.SECREVIEW_SCREENSHOTS) {
    await mkdir(process.env.SECREVIEW_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(process.env.SECREVIEW_SCREENSHOTS, `${name}.png`), fullPage: false });
  }
  return page;
}

const visible = (page: Page): Promise<number> =>
  page.$$eval(
    '.finding[data-kind="defect"]',
    (els) => els.filter((e) => !e.classList.contains('hidden')).length,
  );

describe('the HTML report in Chromium', () => {
  it('shows the review of the bundled examples, and its filters work', async () => {
    const json = await runCli(
      ['examples', '-q', '--no-cache', '-f', 'json', '--fail-on', 'never'],
      join(examples, '..'),
    );
    const report = JSON.parse(json.stdout) as {
      findings: { kind: string; severity: string; ruleId: string; suppressed: unknown }[];
    };
    const defects = report.findings.filter((f) => f.kind === 'defect' && !f.suppressed);
    const html = await runCli(
      ['examples', '-q', '--no-cache', '-f', 'html', '--fail-on', 'never'],
      join(examples, '..'),
    );
    const page = await open(html.stdout, 'examples');

    expect(await page.$eval('#verdict', (e) => e.textContent)).toBe(
      `${defects.length} security defects detected.`,
    );
    expect(await visible(page)).toBe(defects.length);
    expect(await page.$eval('#count', (e) => e.textContent)).toBe(
      `${defects.length} of ${defects.length} shown`,
    );

    await page.click('input[name="severity"][value="high"]');
    expect(await visible(page)).toBe(defects.filter((f) => f.severity !== 'high').length);
    await page.click('button[type="reset"]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('.finding:not(.hidden)').length === n,
      {},
      defects.length,
    );

    await page.select('select[name="rule"]', 'python/os-command-injection');
    expect(await visible(page)).toBe(
      defects.filter((f) => f.ruleId === 'python/os-command-injection').length,
    );
    // Files without a shown finding are hidden with their heading.
    expect(await page.$$eval('section.file:not(.hidden) h3', (hs) => hs.map((x) => x.textContent))).toEqual([
      'examples/app.py',
    ]);

    // A flow step is a button that highlights its line in the finding's code (the last step, the
    // sink, is on the finding's own line).
    const steps = await page.$$('.finding:not(.hidden) ol.flow button');
    expect(steps.length).toBeGreaterThan(1);
    const step = steps[steps.length - 1];
    const line = await step.evaluate((b) => (b as HTMLElement).dataset.line);
    await step.click();
    expect(
      await page.$eval(`.finding:not(.hidden) pre.code .hl`, (e) => (e as HTMLElement).dataset.line),
    ).toBe(line);
    await page.close();
  });

  it('shows code with <script> in it as text, and runs none of it', async () => {
    const work = await tempTree({
      'evil.py':
        'import os\n\ndef run(cmd):\n    os.system("</pre><script>window.pwned = 1</script>" + cmd)\n',
    });
    const html = await runCli(['evil.py', '-q', '--no-cache', '-f', 'html', '--fail-on', 'never'], work);
    const page = await open(html.stdout, 'script-in-code');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$eval('pre.code', (e) => e.textContent)).toContain(
      '    os.system("</pre><script>window.pwned = 1</script>" + cmd)'.trim(),
    );
    expect(await page.$$eval('script', (s) => s.length)).toBe(1);
    await page.close();
  });

  it('stays fast with thousands of findings, and shows the suppressed ones only when asked', async () => {
    const base = INPUT.findings.find((f) => f.ruleId === 'python/os-command-injection')!;
    const many: Finding[] = Array.from({ length: 5000 }, (_, i) => {
      const file = `pkg/module_${Math.floor(i / 25)}.py`;
      const f = {
        ...base,
        severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4],
        location: { file, start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 9 } },
        ...(i % 10 === 0 ? { suppressed: { kind: 'baseline' as const } } : {}),
      };
      return { ...f, fingerprint: fingerprint(f.ruleId, file, `${f.snippet}${i}`, f.context) };
    });
    const files = [...new Set(many.map((f) => f.location.file))].map((file) => ({
      file,
      status: 'reviewed' as const,
      lineCount: 5000,
    }));
    const start = performance.now();
    const page = await open(formatHtml({ ...INPUT, findings: many, files }), 'large');
    const loaded = performance.now() - start;
    expect(await visible(page)).toBe(4500);
    const filterMs = await page.evaluate(() => {
      const t = performance.now();
      (document.querySelector('input[name="suppressed"]') as HTMLInputElement).click();
      return performance.now() - t;
    });
    expect(await visible(page)).toBe(5000);
    expect(filterMs).toBeLessThan(1000);
    expect(loaded).toBeLessThan(15_000);
    await page.close();
  });

  it('fetched nothing from the network', () => {
    expect(fetched).toEqual([]);
  });
});
