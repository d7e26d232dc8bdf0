import type { Side } from '../schemas/trade';
import { computeEmaSeries, computeRsiSeries } from '../analyst/ema-rsi';
import type { DecideSide } from './walk-policy';

/** Always long: 1x buy-and-hold from the first close. */
export function createBuyAndHoldRule(): DecideSide {
  return () => 'long';
}

/** Options of {@link createEmaCrossoverRule}. */
export interface EmaCrossoverOptions {
  /** @default 21 */
  fast?: number;
  /** @default 55 */
  slow?: number;
}

/**
 * Always in the market once both EMAs exist: long while EMA(fast) > EMA(slow), short while below,
 * flipping at each cross; held side kept on a tie. `offset` maps window bar i to closes[offset + i].
 */
export function createEmaCrossoverRule(
  closes: ArrayLike<number>,
  offset: number,
  opts: EmaCrossoverOptions = {},
): DecideSide {
  const fast = computeEmaSeries(closes, opts.fast ?? 21);
  const slow = computeEmaSeries(closes, opts.slow ?? 55);
  return (i, held) => {
    const f = fast[offset + i] ?? NaN;
    const s = slow[offset + i] ?? NaN;
    if (Number.isNaN(f) || Number.isNaN(s) || f === s) return held;
    return f > s ? 'long' : 'short';
  };
}

/** Options of {@link createRsiReversionRule}. */
export interface RsiReversionOptions {
  /** @default 14 */
  period?: number;
  /** Go long when RSI falls below this. @default 30 */
  lower?: number;
  /** Go short when RSI rises above this. @default 70 */
  upper?: number;
  /** Exit a long above this, a short below it. @default 50 */
  exit?: number;
}

/**
 * RSI mean reversion: long below `lower`, exit above `exit`; short above `upper`, exit below
 * `exit`. An exit and an opposite entry may happen on the same close (exit first, then entry).
 */
export function createRsiReversionRule(
  closes: ArrayLike<number>,
  offset: number,
  opts: RsiReversionOptions = {},
): DecideSide {
  const rsi = computeRsiSeries(closes, opts.period ?? 14);
  const lower = opts.lower ?? 30;
  const upper = opts.upper ?? 70;
  const exit = opts.exit ?? 50;
  return (i, held) => {
    const r = rsi[offset + i] ?? NaN;
    if (Number.isNaN(r)) return held;
    let side: Side | null = held;
    if ((side === 'long' && r > exit) || (side === 'short' && r < exit)) side = null;
    if (side === null) {
      if (r < lower) side = 'long';
      else if (r > upper) side = 'short';
    }
    return side;
  };
}
