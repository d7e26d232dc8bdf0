import { mkdir, writeFile } from 'node:fs/promises';
import { countNoEntryReasons } from '../domain/metrics/no-entry-reasons';
import { resolve } from 'node:path';
import { ledgerFinalEquity } from '../domain/metrics/run-summary';
import { findFeedFundingIssues } from '../adapters/market/funding-file';
import { renderReport } from '../adapters/report/report-html';
import type { RiskLog } from '../adapters/risk-log/risk-log';
import { runBaselines } from '../domain/baselines/run-baselines';
import { closedTradesOf } from '../domain/exchange/closed-trades';
import { closePosition } from '../domain/exchange/paper-exchange';
import { countForecastCoverage } from '../domain/metrics/forecast-coverage';
import {
  collapseBarReports,
  collectHalts,
  countHaltedBars,
  describeHaltedBars,
  toHaltRows,
} from '../domain/metrics/halt-summary';
import { computePerformance, type EquityPoint } from '../domain/metrics/performance';
import { tradesToCsv } from '../domain/metrics/trades-csv';
import { splitWalkForward } from '../domain/metrics/walk-forward';
import { buildSummaryAgents } from '../domain/population/leaderboard';
import { reliabilityTable } from '../domain/population/scoring';
import { summarizeStaleRefusals } from '../domain/market/data-issue-report';
import type { ClosedTrade } from '../domain/schemas/account';
import { llmSummaryOf } from '../domain/llm/llm-summary';
import { addUsage, ZERO_USAGE } from '../domain/schemas/llm';
import { type DataIssueReport, DataIssueReportSchema } from '../domain/schemas/data-issues';
import type { Candle, FundingRate } from '../domain/schemas/market';
import type { IterationReport, SessionState } from '../domain/schemas/session';
import type { LlmCutoffSummary } from '../domain/llm/training-cutoff';

export interface BacktestOutputInput {
  state: SessionState;
  reports: IterationReport[];
  candles: Candle[];
  funding: FundingRate[];
  riskLog: RiskLog;
  runner: 'fast' | 'temporal';
  seconds: number;
  /** Walk-forward windows to score separately. @default 4 */
  walkForward?: number;
  /** Problems found in the input files before the run (gaps, units, coverage, skipped rows). */
  dataIssues?: DataIssueReport[];
  /** The LLM's model, training cutoff and memorised-period warning (workers/llm-cutoff-gate.ts). @default all null: not checked */
  llmCutoff?: LlmCutoffSummary;
}

/** Closes what is still open at the last bar, so trades.csv balances with the equity change. */
function closeAtEnd(state: SessionState, last: IterationReport | undefined): ClosedTrade[] {
  if (!state.account.position || !last) return [];
  const { events } = closePosition(state.account, last.close, last.barCloseMs, 'end_of_backtest', state.config.costs);
  return closedTradesOf(events);
}

/** summary.json (docs/architecture.md names), trades.csv and report.html for one run. */
export async function writeBacktestOutput(dir: string, input: BacktestOutputInput): Promise<Record<string, unknown>> {
  const { state } = input;
  // A kill-switch flatten is logged after its bar's iteration: one report per bar, all trades kept.
  const reports = collapseBarReports(input.reports);
  const config = state.config;
  const trades = [...reports.flatMap((r) => r.closedTrades), ...closeAtEnd(state, reports.at(-1))];
  const initial = config.initialEquity;
  const finalEquity = ledgerFinalEquity(initial, trades);
  const curve: EquityPoint[] = [
    { t: config.fromMs! - config.barMs, equity: initial, close: reports[0]?.close ?? 0 },
    ...reports.map((r) => ({ t: r.barCloseMs, equity: r.equity, close: r.close })),
  ];
  if (curve.length > 1) curve[curve.length - 1] = { ...curve[curve.length - 1]!, equity: finalEquity };
  const perf = computePerformance(curve, trades, { barMs: config.barMs, initialEquity: initial });
  const baselines = runBaselines({
    candles: input.candles,
    funding: input.funding,
    fromMs: config.fromMs!,
    toMs: reports.at(-1)?.barCloseMs ?? config.toMs!,
    barMs: config.barMs,
    initialEquity: initial,
    costs: config.costs,
    targetExposure: perf.exposure,
  });
  const usage = reports.map((r) => r.usage).reduce(addUsage, ZERO_USAGE);
  const verdicts = await input.riskLog.read({ sessionId: config.sessionId });
  const riskVerdicts: Record<string, number> = {};
  for (const v of verdicts) riskVerdicts[v.verdict.status] = (riskVerdicts[v.verdict.status] ?? 0) + 1;
  const events = reports.flatMap((r) => r.learningEvents);
  const dataIssues = DataIssueReportSchema.array().parse([
    ...(input.dataIssues ?? []),
    ...findFeedFundingIssues(config.feed, config.costs),
    ...summarizeStaleRefusals(verdicts),
  ]);
  const agents = buildSummaryAgents(state.populations, state.learning);
  const halts = toHaltRows(collectHalts(reports, state.halts));
  const haltedBars = countHaltedBars(reports);
  const calibration = Object.fromEntries(
    Object.entries(state.learning.forecastHistory).map(([id, h]) => [id, reliabilityTable(h)]),
  );
  const calibrationCoverage = countForecastCoverage(state.populations, state.learning);
  const summary = {
    ...perf,
    initial_equity: initial,
    final_equity: finalEquity,
    bars: reports.length,
    runner: input.runner,
    seconds: input.seconds,
    from: reports[0] ? new Date(reports[0].barCloseMs).toISOString() : null,
    to: reports.at(-1) ? new Date(reports.at(-1)!.barCloseMs).toISOString() : null,
    ...llmSummaryOf(usage),
    llm_model: input.llmCutoff?.llm_model ?? null,
    llm_training_cutoff: input.llmCutoff?.llm_training_cutoff ?? null,
    memorised_period_warning: input.llmCutoff?.memorised_period_warning ?? null,
    risk_verdicts: riskVerdicts,
    decisions: countBy(reports.map((r) => r.decision)),
    no_entry_reasons: countNoEntryReasons(reports),
    baselines: {
      buy_and_hold: baselines.buy_and_hold.metrics,
      ema_crossover: baselines.ema_crossover.metrics,
      rsi_mean_reversion: baselines.rsi_mean_reversion.metrics,
      random_entries: baselines.random_entries,
    },
    walk_forward: splitWalkForward(curve, trades, input.walkForward ?? 4, config.barMs),
    agents,
    events,
    calibration,
    calibration_coverage: calibrationCoverage,
    halts,
    halted_bars: haltedBars,
    risk_metrics_note: describeHaltedBars(haltedBars, reports.length),
    data_issues: dataIssues,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  await writeFile(resolve(dir, 'trades.csv'), tradesToCsv(trades));
  const html = renderReport({
    title: `BTC/USDT perp desk: ${summary.from?.slice(0, 10)} → ${summary.to?.slice(0, 10)} (${input.runner} runner)`,
    summary,
    curve,
    trades,
    buyHold: baselines.buy_and_hold.curve,
    agents,
    calibration,
    riskVerdicts,
    events,
    walkForward: summary.walk_forward,
    forecastCoverage: calibrationCoverage,
    dataIssues,
  });
  await writeFile(resolve(dir, 'report.html'), html);
  return summary;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
