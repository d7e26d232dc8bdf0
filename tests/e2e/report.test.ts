import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClosedTrade } from '../../domain/schemas/account';
import { computePerformance, type EquityPoint } from '../../domain/metrics/performance';
import { BAR_MS } from '../../domain/schemas/config';
import { splitWalkForward } from '../../domain/metrics/walk-forward';
import { renderReport, type ReportInput } from '../../adapters/report/report-html';
import { withChromium } from '../helpers/chromium';

const START_MS = Date.UTC(2024, 4, 20); // 200 bars of 4h cross the May/June boundary
const INITIAL = 10_000;
const FEE_RATE = 0.0005;
/** Main series colour per chart (from the report's client script): strategy blue, drawdown red, price slate, observed violet. */
const SERIES_RGB: Record<string, [number, number, number]> = {
  'chart-equity': [37, 99, 235],
  'chart-drawdown': [220, 38, 38],
  'chart-price': [51, 65, 85],
  'chart-calibration': [124, 58, 237],
  'chart-learning': [30, 64, 175],
};
/** The width the issue asks the report to fit at (a 1440 px laptop screen less scrollbars). */
const FIT_WIDTH = 1400;
const INJECTION = '<img src=x onerror="window.__xss=1">';

/** Deterministic price path: a slow wave, a drift and LCG noise (no Math.random in tests either). */
function buildPrices(n: number): number[] {
  let seed = 42;
  const noise = (): number => ((seed = (seed * 1_664_525 + 1_013_904_223) % 2 ** 32) / 2 ** 32 - 0.5) * 0.01;
  return Array.from({ length: n }, (_, i) => 60_000 * (1 + 0.07 * Math.sin(i / 14) + 0.0004 * i + noise()));
}

type Leg = { entry: number; exit: number; side: 'long' | 'short'; reason: ClosedTrade['exitReason'] };
const LEGS: Leg[] = [
  { entry: 5, exit: 30, side: 'long', reason: 'take_profit' },
  { entry: 40, exit: 62, side: 'short', reason: 'stop_loss' },
  { entry: 70, exit: 100, side: 'short', reason: 'take_profit' },
  { entry: 115, exit: 125, side: 'long', reason: 'liquidation' },
  { entry: 140, exit: 185, side: 'long', reason: 'time' },
];

function buildRun(): { curve: EquityPoint[]; buyHold: EquityPoint[]; trades: ClosedTrade[] } {
  const prices = buildPrices(200);
  const size = 0.1;
  const trades = LEGS.map((leg, k): ClosedTrade => {
    const entryPrice = prices[leg.entry]!;
    const exitPrice = prices[leg.exit]!;
    const dir = leg.side === 'long' ? 1 : -1;
    return {
      tradeId: `T${k + 1}`,
      clientOrderId: `iter-${k}-a0`,
      traderId: k % 2 ? 'trader-2' : 'trader-1',
      side: leg.side,
      entryTimeMs: START_MS + leg.entry * BAR_MS,
      entryPrice,
      exitTimeMs: START_MS + leg.exit * BAR_MS,
      exitPrice,
      size,
      leverage: 5,
      liquidationPrice: entryPrice * (1 - dir * 0.19),
      exitReason: leg.reason,
      realizedPnl: dir * (exitPrice - entryPrice) * size,
      fees: FEE_RATE * size * (entryPrice + exitPrice),
      funding: -0.3 * dir,
      riskAmount: entryPrice * 0.02 * size,
    };
  });
  const curve = prices.map((close, i): EquityPoint => {
    const t = START_MS + i * BAR_MS;
    const closed = trades
      .filter((tr) => tr.exitTimeMs <= t)
      .reduce((a, tr) => a + tr.realizedPnl - tr.fees + tr.funding, 0);
    const open = trades.find((tr) => tr.entryTimeMs <= t && t < tr.exitTimeMs);
    const unrealised = open ? (open.side === 'long' ? 1 : -1) * (close - open.entryPrice) * open.size : 0;
    return { t, equity: INITIAL + closed + unrealised, close };
  });
  const buyHold = prices.map((close, i) => ({
    t: START_MS + i * BAR_MS,
    equity: (INITIAL * close) / prices[0]!,
    close,
  }));
  return { curve, buyHold, trades };
}

function buildInput(): ReportInput {
  const { curve, buyHold, trades } = buildRun();
  const opts = { barMs: BAR_MS, initialEquity: INITIAL };
  const dist = (p50: number) => ({ mean: p50, p05: p50 - 0.1, p50, p95: p50 + 0.2 });
  const summary = {
    ...computePerformance(curve, trades, opts),
    llm_calls: 1_800,
    llm_tokens: 2_400_000,
    llm_cached_calls: 120,
    llm_cost_usd: 0.42,
    seconds: 12.5,
    decisions: { long: 20, short: 18, flat: 90, hold: 60, rejected: 12 },
    baselines: {
      buy_and_hold: computePerformance(buyHold, [], opts),
      ema_crossover: computePerformance(buyHold, [], opts),
      rsi_mean_reversion: computePerformance(buyHold, [], opts),
      random_entries: {
        runs: 50,
        exposure: 0.41,
        total_return: dist(-0.0123),
        sharpe: dist(-0.456),
        max_drawdown: dist(0.0789),
      },
    },
  };
  const bins = (skew: number) =>
    Array.from({ length: 10 }, (_, b) => ({
      bin: b,
      meanP: (b + 0.5) / 10,
      freq: Math.min(1, Math.max(0, (b + 0.5) / 10 + skew * ((b + 0.5) / 10 - 0.5))),
      n: 5 + b,
    }));
  return {
    title: `Backtest <script>alert(1)</script> BTC/USDT 4h`,
    summary,
    curve,
    trades,
    buyHold,
    agents: [
      {
        id: 'researcher-1',
        role: 'researcher',
        score: 0.61,
        methods: [
          { id: 'logit-momentum', uses: 120, score: 0.64 },
          { id: 'vol-breakout', uses: 40, score: 0.52 },
        ],
      },
      { id: 'analyst-1', role: 'analyst', score: 0.55, methods: [{ id: 'ema-cross', uses: 200, score: 0.58 }] },
      { id: 'researcher-2', role: 'researcher', score: 0.48, methods: [{ id: INJECTION, uses: 3, score: 0.4 }] },
      { id: 'trader-1', role: 'trader', score: 0.7, methods: [{ id: 'atr-bracket', uses: 5, score: 0.7 }] },
      { id: 'risk-1', role: 'risk_manager', score: 0.5, methods: [{ id: 'liq-buffer', uses: 9, score: 0.5 }] },
    ],
    calibration: { 'researcher-1': bins(-0.3), 'researcher-2': bins(0.4) },
    riskVerdicts: { pass: 14, soft_fail: 5, hard_fail: 2 },
    events: [
      {
        round: 12,
        type: 'teach',
        role: 'researcher',
        agent: 'researcher-2',
        teacher: 'researcher-1',
        method: null,
        reason: 'lead 0.05',
      },
      {
        round: 18,
        type: 'teach',
        role: 'researcher',
        agent: 'researcher-2',
        teacher: 'researcher-1',
        method: null,
        reason: 'lead 0.04',
      },
      {
        round: 18,
        type: 'teach',
        role: 'analyst',
        agent: 'analyst-2',
        teacher: 'analyst-1',
        method: null,
        reason: 'lead 0.1',
      },
      {
        round: 24,
        type: 'prune',
        role: 'analyst',
        agent: 'analyst-1',
        teacher: null,
        method: 'old-method',
        reason: INJECTION,
      },
      {
        round: 30,
        type: 'prune',
        role: 'analyst',
        agent: 'analyst-2',
        teacher: null,
        method: 'old-method',
        reason: 'idle',
      },
      {
        round: 36,
        type: 'restore',
        role: 'analyst',
        agent: 'analyst-1',
        teacher: null,
        method: 'old-method',
        reason: 'regime back',
      },
    ],
    walkForward: splitWalkForward(curve, trades, 4, BAR_MS),
    forecastCoverage: {
      'researcher-1': { plotted: 95, matured: 180, issued: 186 },
      'researcher-2': { plotted: 95, matured: 95, issued: 101 },
    },
  };
}

describe('HTML backtest report in headless Chromium', () => {
  it('writes injected markup only as escaped text and keeps the embedded JSON unable to close its script', () => {
    const input = buildInput();
    const html = renderReport({
      ...input,
      calibration: { ...input.calibration, '</script><b>r3': input.calibration['researcher-1']! },
    });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    expect(html.match(/<script>alert/g)).toBeNull();
    const marker = 'id="report-data">';
    const start = html.indexOf(marker) + marker.length;
    const data = html.slice(start, html.indexOf('</script>', start));
    expect(data).not.toMatch(/[<>]/);
    expect(JSON.parse(data).calibration[2].name).toBe('</script><b>r3'); // intact once parsed
    expect(html).toContain('/*! https://github.com/leeoniya/uPlot'); // uPlot is inlined, not linked
  });

  it('renders every chart offline with no page errors and escapes injected markup', async () => {
    const input = buildInput();
    const artifacts = join(__dirname, '..', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, 'report.html');
    writeFileSync(file, renderReport(input));

    const result = await withChromium(async (browser) => {
      const page = await browser.newPage({ viewport: { width: FIT_WIDTH, height: 900 } });
      const errors: string[] = [];
      const external: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.route('**/*', (route) =>
        route.request().url().startsWith('file:')
          ? route.continue()
          : (external.push(route.request().url()), route.abort()),
      );
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(
        () => document.documentElement.getAttribute('data-charts-rendered') !== null,
        undefined,
        { timeout: 10_000 },
      );
      // Axes and grid alone paint pixels too, so also count pixels in the main series' colour.
      const charts = await page.$$eval(
        '.chart',
        (els, colours) =>
          els.map((el) => {
            const canvas = el.querySelector('canvas');
            if (!canvas) return { id: el.id, width: 0, height: 0, painted: 0, series: 0 };
            const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
            const [r, g, b] = colours[el.id.replace(/-\d+$/, '')] ?? [0, 0, 0];
            let painted = 0;
            let series = 0;
            for (let i = 0; i < px.length; i += 4) {
              if (px[i + 3]! > 0) painted++;
              if (px[i + 3]! > 200 && Math.abs(px[i]! - r) + Math.abs(px[i + 1]! - g) + Math.abs(px[i + 2]! - b) < 30)
                series++;
            }
            return { id: el.id, width: canvas.width, height: canvas.height, painted, series };
          }),
        SERIES_RGB,
      );
      const xss = await page.evaluate(() => ({
        flag: (window as unknown as { __xss?: number }).__xss,
        imgs: document.querySelectorAll('img').length,
        title: document.title,
      }));
      const tableText = await page.locator('table.events').evaluate((t) => t.textContent ?? '');
      // Nothing may stick out of its card: every section's content fits its width, no table scrolls sideways.
      const overflow = await page.$$eval('section, .table-wrap, .grid2 > div', (els) =>
        els
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => `${el.id || el.className}: ${el.scrollWidth} > ${el.clientWidth}`),
      );
      const metricsFit = await page.locator('#metrics table.metrics').evaluate((t) => ({
        table: t.getBoundingClientRect().right,
        card: t.closest('section')!.getBoundingClientRect().right,
      }));
      await page.screenshot({ path: join(artifacts, 'report.png'), fullPage: true });
      return { errors, external, charts, xss, tableText, overflow, metricsFit };
    });
    if (result === 'skipped') return;

    expect(result.errors).toEqual([]);
    expect(result.external).toEqual([]); // self-contained: nothing but the file itself is loaded
    expect(result.charts.map((c) => c.id)).toEqual([
      'chart-equity',
      'chart-drawdown',
      'chart-price',
      'chart-calibration-0',
      'chart-calibration-1',
      'chart-learning',
    ]);
    expect(result.overflow).toEqual([]);
    expect(result.metricsFit.table).toBeLessThanOrEqual(result.metricsFit.card);
    for (const c of result.charts) {
      expect({ id: c.id, sized: c.width > 0 && c.height > 0 }).toEqual({ id: c.id, sized: true });
      expect({ id: c.id, painted: c.painted > 2_000, seriesDrawn: c.series > 50 }).toEqual({
        id: c.id,
        painted: true,
        seriesDrawn: true,
      });
    }
    expect(result.xss).toEqual({ flag: undefined, imgs: 0, title: input.title });
    expect(result.tableText).toContain(INJECTION); // shown as text, not parsed as markup
  });
});
