import type { PendingRiskDecision } from '../schemas/learning';
import type { Order } from '../schemas/trade';

/** Turns this round's risk decision into a pending hypothetical trade, held for the order's own horizon. */
export function registerRiskDecision(
  decision: { riskManagerId: string; vetoed: boolean; order: Order },
  barCloseMs: number,
  barMs: number,
): PendingRiskDecision {
  const { order } = decision;
  return {
    riskManagerId: decision.riskManagerId,
    barCloseMs,
    maturesAtMs: barCloseMs + order.horizonBars * barMs,
    vetoed: decision.vetoed,
    side: order.direction,
    entry: order.limitPrice ?? order.currentPrice,
    stopLoss: order.stopLoss,
    takeProfit: order.takeProfit,
    size: order.size,
  };
}

/**
 * The hypothetical outcome in R of a pending decision at a bar close, or null while it is still open.
 * The Evaluator only sees closes, so "stop or take-profit first" is judged on closes: the first close at or
 * beyond a level exits there; otherwise the position exits at the close of its horizon. A decision is not
 * judged on the bar it was made. Degenerate risk (stop at entry) resolves to 0 R.
 */
export function resolveRiskOutcome(p: PendingRiskDecision, close: number, nowMs: number): number | null {
  if (nowMs <= p.barCloseMs) return null;
  const risk = Math.abs(p.entry - p.stopLoss);
  if (risk === 0) return 0;
  const dir = p.side === 'long' ? 1 : -1;
  const stopHit = dir === 1 ? close <= p.stopLoss : close >= p.stopLoss;
  const tpHit = dir === 1 ? close >= p.takeProfit : close <= p.takeProfit;
  let exit: number | null = null;
  if (stopHit) exit = p.stopLoss;
  else if (tpHit) exit = p.takeProfit;
  else if (p.maturesAtMs <= nowMs) exit = close;
  return exit === null ? null : ((exit - p.entry) * dir) / risk;
}
