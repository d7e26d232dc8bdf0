import { BAR_MS } from '../../../domain/schemas/config';
import { describeCoverage, renderCalibrationFigures } from '../../../adapters/report/report-calibration';
import { buildLearningTimeline, renderLearningSummary } from '../../../adapters/report/report-learning';
import { buildMetricColumns, renderMetricsTable } from '../../../adapters/report/report-metrics-table';
import { renderWalkForward } from '../../../adapters/report/report-walk-forward';
import { METRIC_ROWS } from '../../../adapters/report/report-labels';
import { renderTradesTable } from '../../../adapters/report/report-tables';
import { renderReport } from '../../../adapters/report/report-html';

const dist = (mean: number, p05: number, p50: number, p95: number) => ({ mean, p05, p50, p95 });
const SUMMARY = {
  total_return: 0.1,
  sharpe: 1.2,
  max_drawdown: 0.08,
  exposure: 0.4,
  bars: 500,
  n_trades: 30,
  llm_cost_usd: 0.5,
  some_new_field: 3,
  baselines: {
    buy_and_hold: { total_return: 0.2, sharpe: 0.9, max_drawdown: 0.3, exposure: 1, bars: 501 },
    random_entries: {
      runs: 50,
      exposure: 0.41,
      total_return: dist(0, -0.2, -0.0123, 0.1876),
      sharpe: dist(0, -1, -0.456, 1.789),
      max_drawdown: dist(0.1, 0.05, 0.0789, 0.2345),
    },
  },
};

const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('report metrics table', () => {
  it('shows the random entries as a median and a 95th-percentile column, with their values', () => {
    const columns = buildMetricColumns(SUMMARY);
    expect(columns.map((c) => c.title)).toEqual([
      'Strategy',
      'Buy & hold (1x)',
      'Random entries: median, 50 seeds',
      'Random entries: 95th percentile',
    ]);
    const html = text(renderMetricsTable(SUMMARY));
    expect(html).toMatch(/Total return 10\.00% 20\.00% -1\.23% 18\.76%/);
    expect(html).toMatch(/Sharpe ratio \(ann\.\) 1\.20 0\.90 -0\.46 1\.79/);
    expect(html).toMatch(/Max drawdown 8\.00% 30\.00% 7\.89% 23\.45%/);
    // The matched exposure is a mean over seeds: shown once, beside the median.
    expect(html).toMatch(/Exposure \(share of bars in a position\) 40\.00% 100\.00% 41\.00% —/);
  });

  it('labels every field for people, including fields it does not know', () => {
    const html = text(renderMetricsTable(SUMMARY));
    expect(html).toContain('LLM cost (USD)');
    expect(html).toContain('Some new field');
    expect(html).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // no raw snake_case field names
    expect(new Set(METRIC_ROWS.map(([k]) => k)).size).toBe(METRIC_ROWS.length);
  });

  it('shows the bar count for the strategy only (baselines walk the same bars, their count includes the opening mark)', () => {
    expect(text(renderMetricsTable(SUMMARY))).toMatch(/Bars traded 500 — — —/);
  });
});

describe('report teaching and pruning summary', () => {
  const events = [
    {
      round: 6,
      type: 'teach',
      role: 'researcher',
      agent: 'researcher-2',
      teacher: 'researcher-1',
      method: null,
      reason: 'lead',
    },
    {
      round: 6,
      type: 'teach',
      role: 'researcher',
      agent: 'researcher-3',
      teacher: 'researcher-1',
      method: null,
      reason: 'lead',
    },
    {
      round: 12,
      type: 'teach',
      role: 'analyst',
      agent: 'analyst-2',
      teacher: 'analyst-3',
      method: null,
      reason: 'lead',
    },
    { round: 12, type: 'prune', role: 'analyst', agent: 'analyst-1', teacher: null, method: 'adx_di', reason: 'idle' },
    { round: 18, type: 'prune', role: 'analyst', agent: 'analyst-2', teacher: null, method: 'adx_di', reason: 'idle' },
    {
      round: 24,
      type: 'restore',
      role: 'analyst',
      agent: 'analyst-1',
      teacher: null,
      method: 'adx_di',
      reason: 'regime back',
    },
  ];

  it('counts lessons per role and teacher, prunes and restores per role and method, and has no "null" rows', () => {
    const html = renderLearningSummary(events);
    const plain = text(html);
    expect(plain).toContain('3 teach 2 prune 1 restore over 4 knowledge-transfer rounds');
    expect(plain).toMatch(/Lessons per role .*Analyst 1 1 analyst-3 ×1 .*Researcher 2 2 researcher-1 ×2/);
    expect(plain).toMatch(/Analyst adx_di 2 1 1 2/); // pruned, restored, still pruned, agents
    expect(plain).not.toMatch(/null/);
    expect(html).toContain('<details><summary>All 6 events</summary>');
  });

  it('builds the timeline as counts per round and type', () => {
    expect(buildLearningTimeline(events).data).toEqual([
      [6, 12, 18, 24],
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 1],
    ]);
  });
});

describe('report walk-forward and calibration sections', () => {
  it('renders each walk-forward window with labelled columns and its excess over buy & hold', () => {
    const html = text(
      renderWalkForward([
        {
          window: 1,
          from: '2023-01-01T00:00:00.000Z',
          to: '2023-03-01T00:00:00.000Z',
          bars: 354,
          total_return: 0.05,
          sharpe: 1.1,
          max_drawdown: 0.04,
          n_trades: 9,
          buy_and_hold_return: 0.02,
        },
        {
          window: 2,
          from: '2023-03-01T00:00:00.000Z',
          to: '2023-05-01T00:00:00.000Z',
          bars: 366,
          total_return: -0.01,
          sharpe: -0.3,
          max_drawdown: 0.06,
          n_trades: 7,
          buy_and_hold_return: 0.04,
        },
      ]),
    );
    expect(html).toContain('beat buy & hold in 1 of 2 windows');
    expect(html).toContain(
      'Window From (UTC) To (UTC) Bars Return Buy & hold return Excess over buy & hold Sharpe ratio (ann.) Max drawdown Trades closed in window',
    );
    expect(html).toContain('1 2023-01-01 00:00 2023-03-01 00:00 354 5.00% 2.00% 3.00% 1.10 4.00% 9');
  });

  it('says how many matured forecasts a calibration plot covers out of how many', () => {
    expect(describeCoverage(200, { plotted: 200, matured: 893, issued: 898 })).toBe(
      '200 of 893 matured forecasts, newest kept · 5 pending',
    );
    expect(describeCoverage(177, { plotted: 177, matured: 177, issued: 181 })).toBe(
      '177 of 177 matured forecasts · 4 pending',
    );
    const html = renderCalibrationFigures(
      {
        'researcher-1': [
          { bin: 5, meanP: 0.55, freq: 0.6, n: 120 },
          { bin: 6, meanP: 0.65, freq: 0.5, n: 80 },
        ],
      },
      { 'researcher-1': { plotted: 200, matured: 893, issued: 898 } },
    );
    expect(text(html)).toContain('researcher-1 200 of 893 matured forecasts, newest kept · 5 pending');
  });
});

describe('report trades table', () => {
  it('prints prices and sizes at the market precision, not the float noise of slipped fills', () => {
    const trade = {
      tradeId: 'T1',
      clientOrderId: 'c',
      traderId: 'trader-1',
      side: 'long' as const,
      entryTimeMs: Date.UTC(2023, 7, 1),
      entryPrice: 26268.645220000002,
      exitTimeMs: Date.UTC(2023, 7, 2),
      exitPrice: 26533.50564,
      size: 0.29700000000000004,
      leverage: 3.0000000000000004,
      liquidationPrice: 20000,
      exitReason: 'take_profit' as const,
      realizedPnl: 78.66,
      fees: 7.8,
      funding: -0.5,
      riskAmount: 30,
    };
    const html = text(renderTradesTable([trade]));
    expect(html).toContain('26268.6 2023-08-02 00:00 26533.5 0.297 3× Take profit 70.36 2.35');
  });
});

describe('report header', () => {
  it('counts the bars traded, not the opening mark', () => {
    const bar = BAR_MS;
    const t0 = Date.UTC(2023, 2, 31, 20);
    const curve = Array.from({ length: 4 }, (_, i) => ({ t: t0 + i * bar, equity: 10_000 + i, close: 28_000 }));
    const html = renderReport({
      title: 't',
      summary: {},
      curve,
      trades: [],
      buyHold: curve,
      agents: [],
      calibration: {},
      riskVerdicts: {},
      events: [],
    });
    expect(html).toContain('BTC/USDT perpetual · bar closes 2023-04-01 00:00 → 2023-04-01 08:00 UTC · 3 bars traded');
  });
});
