import { readFileSync } from 'node:fs';
import type { ClosedTrade } from '../../domain/schemas/account';
import { formatIsoUtc } from '../../domain/metrics/civil-time';
import { monthlyReturns, type EquityPoint } from '../../domain/metrics/performance';
import type { DataIssueReport } from '../../domain/schemas/data-issues';
import type { NoEntryReason } from '../../domain/metrics/no-entry-reasons';
import type { MarketPrecision } from '../exchange/market-precision';
import { renderCalibrationFigures, type ForecastCoverage } from './report-calibration';
import { buildChartsPayload, type CalibrationBin } from './report-charts';
import { renderDataIssuesSection } from './report-data-issues';
import { REPORT_CLIENT_SCRIPT } from './report-client-script';
import {
  classifySign,
  escapeHtml,
  formatMetric,
  formatPct,
  serialiseJsonForScript,
  type MetricFormat,
} from './report-format';
import { buildLearningTimeline, renderLearningSummary } from './report-learning';
import { renderMetricsTable } from './report-metrics-table';
import { renderLlmSection } from './report-llm';
import { bannerEverySection, memorisedWarningOf, renderMemorisedBanner } from './report-memorised';
import { REPORT_CSS } from './report-style';
import { renderHaltsSection } from './report-halts';
import {
  renderAgentsTable,
  renderDecisionsTable,
  renderMonthlyTable,
  renderNoEntryTable,
  renderTradesTable,
  renderVerdictsTable,
  type ReportAgent,
} from './report-tables';
import { renderWalkForward, type WalkForwardWindow } from './report-walk-forward';

export type { CalibrationBin } from './report-charts';
export type { ForecastCoverage } from './report-calibration';
export type { ReportAgent } from './report-tables';
export type { WalkForwardWindow } from './report-walk-forward';

/** Everything one backtest report shows. */
export interface ReportInput {
  title: string;
  /** summary.json content (fixed field names of docs/architecture.md; more are shown as extra rows). */
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
  /** Teach / prune / restore events. */
  events: unknown[];
  /** Walk-forward windows scored separately (summary.json `walk_forward`). */
  walkForward?: WalkForwardWindow[];
  /** Per researcher: forecasts plotted / matured / issued, for the calibration captions. */
  forecastCoverage?: Record<string, ForecastCoverage>;
  /** Price tick and amount step the trades table rounds to. @default PAPER_PRECISION */
  precision?: MarketPrecision;
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
    renderKpi(
      'Total return',
      summary['total_return'],
      'pct',
      holdReturn === undefined ? '' : `buy & hold ${formatPct(holdReturn)}`,
      true,
    ),
    renderKpi(
      'Sharpe',
      summary['sharpe'],
      'ratio',
      summary['sortino'] === undefined ? '' : `Sortino ${formatMetric(summary['sortino'], 'ratio')}`,
      true,
    ),
    renderKpi(
      'Max drawdown',
      summary['max_drawdown'],
      'pct',
      summary['max_drawdown_duration_bars'] === undefined
        ? ''
        : `${formatMetric(summary['max_drawdown_duration_bars'], 'int')} bars under water`,
    ),
    renderKpi(
      'Trades',
      summary['n_trades'],
      'int',
      summary['win_rate'] === undefined ? '' : `win rate ${formatPct(summary['win_rate'], 1)}`,
    ),
    renderKpi(
      'Final equity',
      summary['final_equity'],
      'money',
      summary['initial_equity'] === undefined ? '' : `from ${formatMetric(summary['initial_equity'], 'money')} USDT`,
    ),
    renderKpi(
      'Liquidations',
      summary['liquidations'],
      'int',
      summary['fees'] === undefined ? '' : `fees ${formatMetric(summary['fees'], 'money')}`,
    ),
  ].join('')}</div>`;
}

/** The bars traded: `curve[0]` is the opening mark one bar before the first close traded, so it is not counted. */
function describePeriod(curve: readonly EquityPoint[]): string {
  const first = curve[1];
  const last = curve.at(-1);
  if (!first || !last) return 'No bars';
  const bars = curve.length - 1;
  return `bar closes ${formatIsoUtc(first.t).slice(0, 16).replace('T', ' ')} → ${formatIsoUtc(last.t).slice(0, 16).replace('T', ' ')} UTC · ${formatMetric(bars, 'int')} bar${bars === 1 ? '' : 's'} traded`;
}

function renderSection(title: string, note: string, body: string, id: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}${note ? ` <small>${note}</small>` : ''}</h2>${body}</section>`;
}

/**
 * The report's sections, top to bottom. A new section is one line here with its renderer in its own
 * file (summary-derived sections read `input.summary`).
 */
function renderSections(
  input: ReportInput,
  counts: { longEntries: number; shortEntries: number; exits: number; liquidations: number },
): string[] {
  const decisions = (input.summary['decisions'] ?? {}) as Record<string, number>;
  return [
    renderKpis(input.summary, input.buyHold),
    renderSection(
      'Equity',
      'strategy vs buy &amp; hold, USDT',
      '<div class="chart" id="chart-equity"></div>',
      'equity',
    ),
    renderSection('Drawdown', 'from running peak', '<div class="chart" id="chart-drawdown"></div>', 'drawdown'),
    renderHaltsSection(input.summary, input.curve),
    renderSection(
      'Price and trades',
      `${counts.longEntries} long · ${counts.shortEntries} short entries · ${counts.exits} exits · ${counts.liquidations} liquidations`,
      '<div class="chart" id="chart-price"></div>',
      'price',
    ),
    renderSection(
      'Headline metrics',
      "strategy against baselines on the same bars, costs and funding; random entries at the strategy's exposure",
      renderMetricsTable(input.summary),
      'metrics',
    ),
    renderSection(
      'Walk-forward windows',
      'consecutive windows scored on their own',
      renderWalkForward(input.walkForward ?? []),
      'walk-forward',
    ),
    `<div class="grid2 even">${renderSection('Risk verdicts', '', renderVerdictsTable(input.riskVerdicts), 'verdicts')}${renderSection('Decisions', 'one per bar', renderDecisionsTable(decisions), 'decisions')}</div>`,
    renderSection(
      'Why no entry',
      'the reason of every flat or hold bar, its figures as …',
      renderNoEntryTable((input.summary['no_entry_reasons'] ?? []) as NoEntryReason[]),
      'no-entry',
    ),
    renderSection(
      'Calibration',
      'reliability per researcher; diagonal = calibrated',
      renderCalibrationFigures(input.calibration, input.forecastCoverage),
      'calibration',
    ),
    renderDataIssuesSection(input.dataIssues),
    renderSection(
      'Monthly returns',
      'UTC calendar months, month-end to month-end',
      renderMonthlyTable(monthlyReturns(input.curve)),
      'monthly',
    ),
    renderSection('Agent leaderboard', '', renderAgentsTable(input.agents), 'leaderboard'),
    renderLlmSection(input.summary),
    renderSection(
      'Teaching and pruning',
      'knowledge transfer: the leader of each role teaches, idle methods are pruned',
      renderLearningSummary(input.events),
      'learning',
    ),
    `<section id="trades"><details><summary>Closed trades (${input.trades.length})</summary>${renderTradesTable(input.trades, input.precision)}</details></section>`,
  ];
}

/** Render one self-contained HTML report (uPlot, styles and data inlined; opens offline from file://). */
export function renderReport(input: ReportInput): string {
  const uplot = readUplotAssets();
  const warning = memorisedWarningOf(input.summary);
  const banner = warning === null ? '' : renderMemorisedBanner(warning);
  const title = warning === null ? input.title : `${input.title} (may reflect memory)`;
  const payload = {
    ...buildChartsPayload(input.curve, input.buyHold, input.trades, input.calibration),
    learning: buildLearningTimeline(input.events),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${uplot.css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><p>BTC/USDT perpetual · ${escapeHtml(describePeriod(input.curve))}</p>${banner}</header>
${bannerEverySection(renderSections(input, payload.price.counts).join('\n'), warning)}
<footer>${banner}Generated by the backtest report. Returns are simple per-bar returns, annualised over 365 days with a zero risk-free rate.</footer>
</main>
<script type="application/json" id="report-data">${serialiseJsonForScript(payload)}</script>
<script>${uplot.js}</script>
<script>${REPORT_CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
