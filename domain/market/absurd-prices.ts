import type { Candle } from '../schemas/market';

/**
 * Largest factor any price of a bar may stand from the previous bar's close. BTC's worst bars
 * since 2019 (Binance perp and spot, 1h and 4h, bars before 2025-07) stay within 1.43×
 * (2020-03-12/13 and the 2021-07-26 wick); ×2 or ÷2 in one bar is a broken row, not a market.
 */
export const MAX_BAR_MOVE_FACTOR = 2;

/** Why a bar's prices cannot follow `prevClose` in a BTC market, or null when they can. */
export function findAbsurdMove(prevClose: number, bar: Candle): string | null {
  const fields = [
    ['open', bar.open],
    ['high', bar.high],
    ['low', bar.low],
    ['close', bar.close],
  ] as const;
  for (const [name, price] of fields) {
    const factor = price / prevClose;
    if (factor > MAX_BAR_MOVE_FACTOR || factor < 1 / MAX_BAR_MOVE_FACTOR) {
      return `${name} ${price} is ${factor >= 1 ? `${formatFactor(factor)}×` : `1/${formatFactor(1 / factor)}`} the previous close ${prevClose}: no BTC market moves that much in one bar`;
    }
  }
  return null;
}

function formatFactor(x: number): string {
  return x >= 1000 ? x.toExponential(2) : x.toFixed(2);
}
