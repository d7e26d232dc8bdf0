import type { ExitReason, Position } from '../schemas/account';
import type { Candle } from '../schemas/market';

export interface BarExit {
  reason: Extract<ExitReason, 'liquidation' | 'stop_loss' | 'take_profit'>;
  /** Trigger price before slippage. */
  price: number;
}

/**
 * Which of liquidation, stop and take-profit a bar triggers, resolved pessimistically because a
 * bar does not say in which order its high and low came:
 * 1. the open gapped through a level → that level triggers at the open (adverse levels first);
 * 2. otherwise the adverse level nearest the open (stop, or liquidation if it lies inside the
 *    stop) wins over the take-profit when both are touched (freqtrade backtest_detail tc6);
 * 3. a gap through the stop fills at the open, not the stop (nautilus_trader matching engine).
 * `favourable = false` checks only the adverse levels (a position filled inside this bar: the
 * take-profit may have traded before the fill).
 */
export function resolveBarExit(position: Position, bar: Candle, favourable = true): BarExit | null {
  const long = position.side === 'long';
  // "beyond" in the adverse direction: below for a long, above for a short.
  const adverse = (price: number, level: number): boolean => (long ? price <= level : price >= level);
  const favour = (price: number, level: number): boolean => (long ? price >= level : price <= level);
  const worst = long ? bar.low : bar.high;
  const best = long ? bar.high : bar.low;
  const lp = position.liquidationPrice;
  // A long margined at or above its notional has no liquidation price (0).
  const hasLiquidation = lp > 0;
  const sl = position.stopLoss;
  const tp = position.takeProfit;

  if (hasLiquidation && adverse(bar.open, lp)) return { reason: 'liquidation', price: bar.open };
  if (adverse(bar.open, sl)) return { reason: 'stop_loss', price: bar.open };
  if (favourable && favour(bar.open, tp)) return { reason: 'take_profit', price: bar.open };

  // The adverse level reached first on the way from the open is the one nearer to it.
  const stopFirst = !hasLiquidation || favour(sl, lp);
  if (stopFirst && adverse(worst, sl)) return { reason: 'stop_loss', price: sl };
  if (hasLiquidation && adverse(worst, lp)) return { reason: 'liquidation', price: lp };
  if (favourable && favour(best, tp)) return { reason: 'take_profit', price: tp };
  return null;
}
