import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderReport } from '../adapters/report/report-html';
import type { RiskLog } from '../adapters/risk-log/risk-log';
import { runBaselines } from '../domain/baselines/run-baselines';
import { closePosition } from '../domain/exchange/paper-exchange';
import { computePerformance, type EquityPoint } from '../domain/metrics/performance';
import { tradesToCsv } from '../domain/metrics/trades-csv';
import { splitWalkForward } from '../domain/metrics/walk-forward';
import { buildSummaryAgents } from '../domain/population/leaderboard';
import { reliabilityTable } from '../domain/population/scoring';
import { summarizeStaleRefusals } from '../domain/market/data-issue-report';
import type { ClosedTrade } from '../domain/schemas/account';
import { type DataIssueReport, DataIssueReportSchema } from '../domain/schemas/data-issues';
import type { Candle, FundingRate } from '../domain/schemas/market';
import type { IterationReport, SessionState } from '../domain/schemas/session';

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
}

/** Closes what is still open at the last bar, so trades.csv balances with the equity change. */
function closeAtEnd(state: SessionState, last: IterationReport | undefined): ClosedTrade[] {
  if (!state.account.position || !last) return [];
  const { events } = closePosition(state.account, last.close, last.barCloseMs, 'end_of_backtest', state.config.costs);
  return events.flatMap((e) => (e.type === 'close' ? [e.trade] : []));
}

/** summary.json (DESIGN.md names), trades.csv and report.html for one run. */
export async function writeBacktestOutput(dir: string, input: BacktestOutputInput): Promise<Record<string, unknown>> {
  const { state, reports } = input;
  const config = state.config;
  const trades = [...reports.flatMap((r) => r.closedTrades), ...closeAtEnd(state, reports.at(-1))];
  const initial = config.initialEquity;
  const finalEquity = initial + trades.reduce((sum, t) => sum + t.realizedPnl - t.fees + t.funding, 0);
  const curve: EquityPoint[] = [{ t: config.fromMs! - config.barMs, equity: initial, close: reports[0]?.close ?? 0 }, ...reports.map((r) => ({ t: r.barCloseMs, equity: r.equity, close: r.close }))];
  if (curve.length > 1) curve[curve.length - 1] = { ...curve[curve.length - 1]!, equity: finalEquity };
  const perf = computePerformance(curve, trades, { barMs: config.barMs, initialEquity: initial });
  const baselines = runBaselines({
    candles: input.candles, funding: input.funding, fromMs: config.fromMs!, toMs: reports.at(-1)?.barCloseMs ?? config.toMs!,
    barMs: config.barMs, initialEquity: initial, costs: config.costs, targetExposure: perf.exposure,
  });
  const usage = reports.reduce((u, r) => ({ calls: u.calls + r.usage.calls, tokens: u.tokens + r.usage.tokensIn + r.usage.tokensOut, cost: u.cost + r.usage.costUsd, cached: u.cached + r.usage.cachedCalls }), { calls: 0, tokens: 0, cost: 0, cached: 0 });
  const verdicts = await input.riskLog.read({ sessionId: config.sessionId });
  const riskVerdicts: Record<string, number> = {};
  for (const v of verdicts) riskVerdicts[v.verdict.status] = (riskVerdicts[v.verdict.status] ?? 0) + 1;
  const events = reports.flatMap((r) => r.learningEvents);
  const dataIssues = DataIssueReportSchema.array().parse([...(input.dataIssues ?? []), ...summarizeStaleRefusals(verdicts)]);
  const agents = buildSummaryAgents(state.populations, state.learning);
  const calibration = Object.fromEntries(Object.entries(state.learning.forecastHistory).map(([id, h]) => [id, reliabilityTable(h)]));
  const summary = {
    ...perf,
    initial_equity: initial, final_equity: finalEquity, bars: reports.length, runner: input.runner, seconds: input.seconds,
    from: reports[0] ? new Date(reports[0].barCloseMs).toISOString() : null, to: reports.at(-1) ? new Date(reports.at(-1)!.barCloseMs).toISOString() : null,
    llm_calls: usage.calls, llm_cached_calls: usage.cached, llm_tokens: usage.tokens, llm_cost_usd: usage.cost,
    risk_verdicts: riskVerdicts,
    decisions: countBy(reports.map((r) => r.decision)),
    baselines: {
      buy_and_hold: baselines.buy_and_hold.metrics, ema_crossover: baselines.ema_crossover.metrics,
      rsi_mean_reversion: baselines.rsi_mean_reversion.metrics, random_entries: baselines.random_entries,
    },
    walk_forward: splitWalkForward(curve, trades, input.walkForward ?? 4, config.barMs),
    agents, events, calibration,
    data_issues: dataIssues,
  };
  await mkdir(dir, { recursive: true });
  await writeFile(resolve(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  await writeFile(resolve(dir, 'trades.csv'), tradesToCsv(trades));
  const html = renderReport({
    title: `BTC/USDT perp desk: ${summary.from?.slice(0, 10)} → ${summary.to?.slice(0, 10)} (${input.runner} runner)`,
    summary, curve, trades, buyHold: baselines.buy_and_hold.curve, agents, calibration, riskVerdicts, events, dataIssues,
  });
  await writeFile(resolve(dir, 'report.html'), html);
  return summary;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
