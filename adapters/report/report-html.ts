import { readFileSync } from 'node:fs';
import type { ClosedTrade } from '../../domain/schemas/account';
import { formatIsoUtc } from '../../domain/metrics/civil-time';
import { monthlyReturns, type EquityPoint } from '../../domain/metrics/performance';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import { buildChartsPayload, type CalibrationBin } from './report-charts';
import { renderDataIssuesSection } from './report-data-issues';
import { REPORT_CLIENT_SCRIPT } from './report-client-script';
import { classifySign, escapeHtml, formatMetric, formatPct, serialiseJsonForScript, type MetricFormat } from './report-format';
import { REPORT_CSS } from './report-style';
import { renderAgentsTable, renderEventsTable, renderMetricsTable, renderMonthlyTable, renderTradesTable, renderVerdictsTable, type ReportAgent } from './report-tables';

export type { CalibrationBin } from './report-charts';
export type { ReportAgent } from './report-tables';

/** Everything one backtest report shows. */
export interface ReportInput {
  title: string;
  /** summary.json content (fixed field names of DESIGN.md; more are shown as extra rows). */
  summary: Record<string, unknown>;
  curve: EquityPoint[];
  trades: ClosedTrade[];
  /** Buy-and-hold equity on the same marks, for comparison. */
  buyHold: EquityPoint[];
  agents: ReportAgent[];
  /** Reliability-diagram bins per researcher id. */
  calibration: Record<string, CalibrationBin[]>;
  /** Count per risk verdict (pass / soft_fail / hard_fail). */
  riskVerdicts: Record<string, number>;
  /** Teach / prune events. */
  events: unknown[];
  /** summary.json `data_issues`: gaps, stale bars, suspicious values. */
  dataIssues?: DataIssueReport[];
}

/** uPlot is inlined so the report opens offline; read at render time from the installed package. */
function readUplotAssets(): { js: string; css: string } {
  return {
    js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

function renderKpi(label: string, value: unknown, format: MetricFormat, sub = '', signed = false): string {
  const cls = signed ? classifySign(value) : '';
  return `<div class="kpi"><div class="label">${escapeHtml(label)}</div><div class="value ${cls}">${escapeHtml(formatMetric(value, format))}</div><div class="sub">${escapeHtml(sub)}</div></div>`;
}

function renderKpis(summary: Record<string, unknown>, buyHold: readonly EquityPoint[]): string {
  const first = buyHold[0]?.equity;
  const last = buyHold.at(-1)?.equity;
  const holdReturn = first !== undefined && last !== undefined && first > 0 ? last / first - 1 : undefined;
  return `<div class="kpis">${[
    renderKpi('Total return', summary['total_return'], 'pct', holdReturn === undefined ? '' : `buy & hold ${formatPct(holdReturn)}`, true),
    renderKpi('Sharpe', summary['sharpe'], 'ratio', summary['sortino'] === undefined ? '' : `Sortino ${formatMetric(summary['sortino'], 'ratio')}`, true),
    renderKpi('Max drawdown', summary['max_drawdown'], 'pct', summary['max_drawdown_duration_bars'] === undefined ? '' : `${formatMetric(summary['max_drawdown_duration_bars'], 'int')} bars under water`),
    renderKpi('Trades', summary['n_trades'], 'int', summary['win_rate'] === undefined ? '' : `win rate ${formatPct(summary['win_rate'], 1)}`),
    renderKpi('Final equity', summary['final_equity'], 'money', summary['initial_equity'] === undefined ? '' : `from ${formatMetric(summary['initial_equity'], 'money')} USDT`),
    renderKpi('Liquidations', summary['liquidations'], 'int', summary['fees'] === undefined ? '' : `fees ${formatMetric(summary['fees'], 'money')}`),
  ].join('')}</div>`;
}

function describePeriod(curve: readonly EquityPoint[]): string {
  const first = curve[0];
  const last = curve.at(-1);
  if (!first || !last) return 'No bars';
  return `${formatIsoUtc(first.t).slice(0, 16).replace('T', ' ')} → ${formatIsoUtc(last.t).slice(0, 16).replace('T', ' ')} UTC · ${curve.length} bars`;
}

function renderCalibrationFigures(calibration: Record<string, CalibrationBin[]>): string {
  const names = Object.keys(calibration);
  if (names.length === 0) return '<p class="empty">No matured forecasts yet.</p>';
  return `<div class="calib">${names
    .map((name, i) => {
      const n = (calibration[name] ?? []).reduce((a, b) => a + b.n, 0);
      return `<figure><figcaption>${escapeHtml(name)} <small>${n} forecasts</small></figcaption><div class="chart" id="chart-calibration-${i}"></div></figure>`;
    })
    .join('')}</div>`;
}

/** Render one self-contained HTML report (uPlot, styles and data inlined; opens offline from file://). */
export function renderReport(input: ReportInput): string {
  const uplot = readUplotAssets();
  const payload = buildChartsPayload(input.curve, input.buyHold, input.trades, input.calibration);
  const { counts } = payload.price;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${uplot.css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(input.title)}</h1><p>BTC/USDT perpetual · ${escapeHtml(describePeriod(input.curve))}</p></header>
${renderKpis(input.summary, input.buyHold)}
<section><h2>Equity <small>strategy vs buy &amp; hold, USDT</small></h2><div class="chart" id="chart-equity"></div></section>
<section><h2>Drawdown <small>from running peak</small></h2><div class="chart" id="chart-drawdown"></div></section>
<section><h2>Price and trades <small>${counts.longEntries} long · ${counts.shortEntries} short entries · ${counts.exits} exits · ${counts.liquidations} liquidations</small></h2><div class="chart" id="chart-price"></div></section>
<div class="grid2">
<section><h2>Headline metrics</h2>${renderMetricsTable(input.summary)}</section>
<div><section><h2>Risk verdicts</h2>${renderVerdictsTable(input.riskVerdicts)}</section>
<section><h2>Calibration <small>reliability per researcher; diagonal = calibrated</small></h2>${renderCalibrationFigures(input.calibration)}</section></div>
</div>
${renderDataIssuesSection(input.dataIssues)}
<section><h2>Monthly returns</h2>${renderMonthlyTable(monthlyReturns(input.curve))}</section>
<section><h2>Agent leaderboard</h2>${renderAgentsTable(input.agents)}</section>
<section><h2>Teaching and pruning</h2>${renderEventsTable(input.events)}</section>
<section><details><summary>Closed trades (${input.trades.length})</summary>${renderTradesTable(input.trades)}</details></section>
<footer>Generated by the backtest report. Returns are simple per-bar returns, annualised over 365 days with a zero risk-free rate.</footer>
</main>
<script type="application/json" id="report-data">${serialiseJsonForScript(payload)}</script>
<script>${uplot.js}</script>
<script>${REPORT_CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
