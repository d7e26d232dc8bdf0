import { closedTradesOf } from '../exchange/closed-trades';
import { closePosition } from '../exchange/paper-exchange';
import type { ClosedTrade } from '../schemas/account';
import type { IterationReport, SessionState } from '../schemas/session';
import { computePerformance, type EquityPoint } from './performance';

/** The headline figures of one backtest, from its trades (open positions closed at the last bar, as summary.json does). */
export interface RunFigures {
  bars: number;
  initial_equity: number;
  final_equity: number;
  total_return: number;
  sharpe: number;
  max_drawdown: number;
  n_trades: number;
  realized_pnl: number;
  fees: number;
  funding: number;
  liquidations: number;
  /** Fraction of marks with a position open (as summary.json). */
  exposure: number;
  llm_calls: number;
  halted: boolean;
}

/**
 * Final equity from the ledger: initial + Σ realized − Σ fees + Σ funding, summed in this order. The one
 * formula for summary.json and the sweep's figures, so both give the same number to the last bit.
 */
export function ledgerFinalEquity(initial: number, trades: readonly ClosedTrade[]): number {
  const realized = trades.reduce((a, t) => a + t.realizedPnl, 0);
  const fees = trades.reduce((a, t) => a + t.fees, 0);
  const funding = trades.reduce((a, t) => a + t.funding, 0);
  return initial + realized - fees + funding;
}

/** Sums the closed trades into final equity so the figures reconcile with the ledger by construction. */
export function summarizeRun(state: SessionState, reports: readonly IterationReport[]): RunFigures {
  const config = state.config;
  const last = reports.at(-1);
  const atEnd =
    state.account.position && last
      ? closePosition(state.account, last.close, last.barCloseMs, 'end_of_backtest', config.costs).events
      : [];
  const trades: ClosedTrade[] = [...reports.flatMap((r) => r.closedTrades), ...closedTradesOf(atEnd)];
  const initial = config.initialEquity;
  const realized = trades.reduce((a, t) => a + t.realizedPnl, 0);
  const fees = trades.reduce((a, t) => a + t.fees, 0);
  const funding = trades.reduce((a, t) => a + t.funding, 0);
  const finalEquity = ledgerFinalEquity(initial, trades);
  const curve: EquityPoint[] = [
    { t: (config.fromMs ?? 0) - config.barMs, equity: initial, close: reports[0]?.close ?? 0 },
    ...reports.map((r) => ({ t: r.barCloseMs, equity: r.equity, close: r.close })),
  ];
  if (curve.length > 1) curve[curve.length - 1] = { ...curve[curve.length - 1]!, equity: finalEquity };
  const perf = computePerformance(curve, trades, { barMs: config.barMs, initialEquity: initial });
  return {
    bars: reports.length,
    initial_equity: initial,
    final_equity: finalEquity,
    total_return: perf.total_return,
    sharpe: perf.sharpe,
    max_drawdown: perf.max_drawdown,
    n_trades: trades.length,
    realized_pnl: realized,
    fees,
    funding,
    liquidations: perf.liquidations,
    exposure: perf.exposure,
    llm_calls: reports.reduce((a, r) => a + r.usage.calls, 0),
    halted: state.tradingState === 'halted',
  };
}
