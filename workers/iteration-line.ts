import { formatPrice, formatSize, type MarketPrecision } from '../adapters/exchange/market-precision';
import type { SessionStatus } from '../domain/orchestration/status';

/** How the main job prints iterations: at the market's precision, and marked when the bars are synthetic. */
export interface IterationLineOptions {
  precision: MarketPrecision;
  /** The feed is the synthetic series: every line says so, since its dates look real. */
  synthetic: boolean;
}

/**
 * Why a long/short decision left no position on that side: an order that did not fill this bar (a
 * resting limit order) or none at all. A trade on that side opened this bar and already closed
 * (stop hit inside the bar) counts as filled.
 */
export function describeUnfilledDecision(
  s: Pick<SessionStatus, 'last_decision' | 'position' | 'open_orders' | 'recent_trades' | 'last_bar'>,
  barMs: number,
): string | null {
  const decision = s.last_decision;
  if (decision !== 'long' && decision !== 'short') return null;
  if (s.position?.side === decision) return null;
  const barClose = s.last_bar === null ? null : Date.parse(s.last_bar);
  const filledThisBar =
    barClose !== null && s.recent_trades.some((t) => t.side === decision && t.entryTimeMs > barClose - barMs);
  if (filledThisBar) return null;
  return s.open_orders > 0
    ? `nothing filled: ${s.open_orders} order${s.open_orders === 1 ? '' : 's'} resting`
    : 'nothing filled';
}

/**
 * One console line per iteration: `[bar] #n decision=… equity=… position=side size @ price`, then the
 * trading state when it is not ACTIVE (` HALTED`, ` REDUCING`).
 */
export function formatIterationLine(s: SessionStatus, barMs: number, opts: IterationLineOptions): string {
  const p = s.position;
  const position = p
    ? `${p.side} ${formatSize(p.size, opts.precision)} @ ${formatPrice(p.entry_price, opts.precision)}`
    : 'flat';
  const unfilled = describeUnfilledDecision(s, barMs);
  const bar = opts.synthetic ? `SYNTHETIC ${s.last_bar}` : String(s.last_bar);
  return `[${bar}] #${s.iterations} decision=${s.last_decision}${unfilled ? ` (${unfilled})` : ''} equity=${s.equity.toFixed(2)} position=${position}${s.trading_state === 'active' ? '' : ` ${s.trading_state.toUpperCase()}`}`;
}
