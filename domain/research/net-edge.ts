import { fundingIntervalOf } from '../exchange/funding-settlement';
import { BAR_MS, type ExchangeCosts } from '../schemas/config';

/** The parts of a net edge, each a fraction of price over the horizon (docs/sizing.md). */
export interface EdgeParts {
  /** |expected return| implied by the calibrated probability. */
  gross: number;
  /** Taker fee on entry and on exit (a market entry and a stop exit both take liquidity). */
  fees: number;
  /** Slippage on entry and on exit. */
  slippage: number;
  /** Funding the side pays over the horizon at the current rate (negative = receives). */
  funding: number;
}

/**
 * Round-trip costs and funding of a position held `horizonBars` bars, against the edge `gross`.
 * Fees and slippage are charged both ways at the taker rate: the conservative case (a limit entry or a
 * take-profit exit pays the maker fee and no slippage, so the true cost is at most this). Funding settles
 * once per funding interval and longs pay a positive rate (Binance USDⓈ-M funding rules), so a long pays
 * rate × settlements, a short receives it. Pure.
 */
export function computeEdgeParts(
  gross: number,
  side: 'long' | 'short',
  fundingRate: number | null,
  horizonBars: number,
  costs: ExchangeCosts,
  barMs = BAR_MS,
): EdgeParts {
  const settlements = (horizonBars * barMs) / fundingIntervalOf(costs);
  return {
    gross,
    fees: 2 * costs.takerFee,
    slippage: (2 * costs.slippageBps) / 10_000,
    funding: (fundingRate ?? 0) * settlements * (side === 'long' ? 1 : -1),
  };
}

/** gross − fees − slippage − funding. */
export function netEdgeOf(parts: EdgeParts): number {
  return parts.gross - parts.fees - parts.slippage - parts.funding;
}
