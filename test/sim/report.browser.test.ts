// Opens rendered reports in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) and checks what the browser actually drew: every series has the vertices
// downsample() keeps, every chart has a size, the screenshot is a real picture, and loading the
// page asked the network for nothing. Skipped, saying so, where Chromium is not installed.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_POINTS, renderReport, reportData } from '../../src/sim/report.js';
import type { SimulationResult } from '../../src/sim/types.js';
import { comparisonFixture, expectedPoints, simulationFixture, withForecast } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn('report browser test skipped: /usr/bin/chromium not found (apt-get install chromium)');
}

// The page functions run inside Chromium. tsconfig has no DOM lib, so declare the little they use.
interface PageElement {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { readonly width: number; readonly height: number };
  getTotalLength(): number;
  readonly points?: { readonly numberOfItems: number };
  readonly textContent: string | null;
}
declare const document: {
  querySelectorAll(selector: string): Iterable<PageElement>;
  getElementById(id: string): PageElement | null;
};

interface Drawn {
  readonly series: string;
  readonly run: string | null;
  readonly group: string | null;
  readonly declared: number;
  /** `points.numberOfItems` of a parsed polyline; for a path, the pairs in its `d`. */
  readonly vertices: number;
  readonly length: number;
}

/** Coordinate pairs in a path's `d` (the report's paths use only M, L and Z). */
function pairs(d: string): number {
  return (d.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) ?? []).length / 2;
}

describe.skipIf(!hasChromium)('report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tideway-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 15_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Open `html` from a file:// URL in a fresh context and report what the page did and drew. */
  async function open(name: string, html: string, fullPage = true) {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1040, height: 900 } });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      // Anything besides the document itself is refused, so a stray reference cannot reach out.
      await context.route('**/*', (route) =>
        route.request().url() === url ? route.continue() : route.abort('blockedbyclient'),
      );
      await page.goto(url, { waitUntil: 'load' });
      const screenshot = await page.screenshot({ fullPage });
      const drawn = await page.evaluate(() =>
        [...document.querySelectorAll('[data-series]')].map((el) => ({
          series: el.getAttribute('data-series') ?? '',
          run: el.getAttribute('data-run'),
          group: el.getAttribute('data-group'),
          declared: Number(el.getAttribute('data-points')),
          // A polyline's points as the browser parsed them; a path has no parsed list in
          // Chromium, so its `d` comes back for the test to count.
          vertices: el.points === undefined ? -1 : el.points.numberOfItems,
          d: el.getAttribute('d') ?? '',
          length: el.getTotalLength(),
        })),
      );
      const boxes = await page.evaluate(() =>
        [...document.querySelectorAll('svg')].map((el) => {
          const box = el.getBoundingClientRect();
          return { chart: el.getAttribute('data-chart'), width: box.width, height: box.height };
        }),
      );
      const markers = await page.evaluate(() =>
        [...document.querySelectorAll('[data-markers]')].map((el) => ({
          count: Number(el.getAttribute('data-count')),
          moves: (el.getAttribute('d') ?? '').split('M').length - 1,
          length: el.getTotalLength(),
        })),
      );
      const data = await page.evaluate(() => document.getElementById('tideway-data')?.textContent ?? '');
      return {
        url,
        requests,
        problems,
        screenshot,
        boxes,
        markers,
        data: JSON.parse(data) as unknown,
        drawn: drawn.map(
          ({ d, vertices, ...rest }): Drawn => ({ ...rest, vertices: vertices >= 0 ? vertices : pairs(d) }),
        ),
      };
    } finally {
      await context.close();
    }
  }

  function expectDrawnAsDeclared(drawn: readonly Drawn[]) {
    expect(drawn.length).toBeGreaterThan(0);
    for (const d of drawn) {
      expect(d.vertices, `${d.series} of run ${d.run}`).toBe(d.declared);
      if (d.declared > 1) expect(d.length, `${d.series} of run ${d.run}`).toBeGreaterThan(0);
    }
  }

  function byRun(drawn: readonly Drawn[], run: number): Record<string, number> {
    return Object.fromEntries(drawn.filter((d) => d.run === String(run)).map((d) => [d.series, d.declared]));
  }

  it('draws a month of minutes with a forecast, within the budget, fetching nothing', async () => {
    const input: SimulationResult = withForecast(simulationFixture({ points: 43_200, name: 'a month' }));
    const page = await open('simulation', renderReport(input));

    expect(page.requests).toEqual([page.url]);
    expect(page.problems).toEqual([]);

    // A real picture: PNG signature, and far more than a blank page compresses to.
    expect([...page.screenshot.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(page.screenshot.length).toBeGreaterThan(50_000);
    if (process.env.TIDEWAY_REPORT_SCREENSHOT)
      writeFileSync(process.env.TIDEWAY_REPORT_SCREENSHOT, page.screenshot);

    expect(page.boxes.map((b) => b.chart)).toEqual(['capacity', 'cost', 'decisions']);
    for (const box of page.boxes) {
      expect(box.width, String(box.chart)).toBeGreaterThan(500);
      expect(box.height, String(box.chart)).toBeGreaterThan(50);
    }

    expectDrawnAsDeclared(page.drawn);
    expect(byRun(page.drawn, 0)).toEqual(expectedPoints(input, DEFAULT_MAX_POINTS));
    for (const d of page.drawn) expect(d.declared).toBeLessThanOrEqual(DEFAULT_MAX_POINTS);

    expect(page.markers.reduce((n, m) => n + m.count, 0)).toBe(input.decisions.length);
    for (const m of page.markers) {
      expect(m.moves).toBe(m.count);
      expect(m.length).toBeGreaterThan(0);
    }
    expect(page.data).toEqual(JSON.parse(reportData(input)));
  }, 15_000);

  it('draws a comparison: every run in detail and each Pareto front, fetching nothing', async () => {
    const input = comparisonFixture({ results: true });
    // The viewport only: a full-page shot of eight runs in detail takes seconds.
    const page = await open('comparison', renderReport(input, { maxPoints: 100 }), false);

    expect(page.requests).toEqual([page.url]);
    expect(page.problems).toEqual([]);
    expect(page.screenshot.length).toBeGreaterThan(50_000);
    for (const box of page.boxes) {
      expect(box.width, String(box.chart)).toBeGreaterThan(200);
      expect(box.height, String(box.chart)).toBeGreaterThan(50);
    }
    expect(page.boxes.filter((b) => b.chart === 'pareto')).toHaveLength(2);
    expect(page.boxes.filter((b) => b.chart === 'capacity')).toHaveLength(input.runs.length);

    expectDrawnAsDeclared(page.drawn);
    input.results?.forEach((result, i) => {
      expect(byRun(page.drawn, i)).toEqual(expectedPoints(result, 100));
    });
    const fronts = page.drawn.filter((d) => d.series === 'pareto-front');
    expect(fronts.map((f) => [f.group, f.declared])).toEqual([
      ['0', input.pareto.filter((p) => p.trace === input.runs[0]?.trace).length],
      ['1', input.pareto.filter((p) => p.trace === input.runs[4]?.trace).length],
    ]);
    expect(page.data).toEqual(JSON.parse(reportData(input, { maxPoints: 100 })));
  }, 15_000);

  it('would notice a reference: an injected image is blocked and reported', async () => {
    // Proof that the two checks above can fail: the page's policy refuses the fetch and says so.
    const html = renderReport(simulationFixture({ points: 30 })).replace(
      '<main>',
      '<main><img src="http://192.0.2.1/pixel.png" alt="">',
    );
    const page = await open('injected', html, false);
    const seen = [...page.requests.filter((r) => r !== page.url), ...page.problems].join('\n');
    expect(seen).toMatch(/192\.0\.2\.1|Content Security Policy/);
  }, 15_000);
});
