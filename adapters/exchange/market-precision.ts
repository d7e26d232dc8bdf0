import type * as ccxt from 'ccxt';
import { BTCUSDT_PRICE_TICK, BTCUSDT_SIZE_STEP } from '../../domain/trader/build-order';

/** The venue's price tick and amount step: what the console and reports round to (the domain keeps full numbers). */
export interface MarketPrecision {
  priceTick: number;
  amountStep: number;
  /** Where the figures come from (venue market or the paper default). */
  source: string;
}

/**
 * Paper trading's documented default: Binance USDⓈ-M BTCUSDT's PRICE_FILTER tickSize 0.1 and LOT_SIZE stepSize
 * 0.001, the same filters the Trader rounds orders to.
 */
export const PAPER_PRECISION: MarketPrecision = {
  priceTick: BTCUSDT_PRICE_TICK,
  amountStep: BTCUSDT_SIZE_STEP,
  source: 'paper default (Binance USDⓈ-M BTCUSDT filters)',
};

// ccxt's precision modes (ccxt.DECIMAL_PLACES, ccxt.TICK_SIZE); repeated so this file needs only ccxt's types.
const DECIMAL_PLACES = 2;
const TICK_SIZE = 4;

function toStep(value: number | undefined, mode: number, what: string, symbol: string): number {
  if (value === undefined || !(value > 0)) throw new Error(`ccxt market ${symbol} has no ${what} precision`);
  if (mode === TICK_SIZE) return value;
  if (mode === DECIMAL_PLACES) return 10 ** -value;
  throw new Error(`ccxt precision mode ${mode} of ${symbol} is not supported (tick size or decimal places)`);
}

/** The price tick and amount step of a loaded ccxt market, whatever the exchange's precision mode. */
export function readCcxtPrecision(exchange: ccxt.Exchange, symbol: string): MarketPrecision {
  const market = exchange.market(symbol);
  const mode = exchange.precisionMode ?? TICK_SIZE;
  return {
    priceTick: toStep(market.precision.price, mode, 'price', symbol),
    amountStep: toStep(market.precision.amount, mode, 'amount', symbol),
    source: `${exchange.id} market ${symbol}`,
  };
}

/** Decimals needed to show multiples of `step` exactly (0.1 → 1, 0.001 → 3, 5 → 0). */
export function countStepDecimals(step: number): number {
  for (let d = 0; d <= 12; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-9) return d;
  return 12;
}

/** A price at the venue's tick: 26268.645220000002 → "26268.6" on a 0.1 tick. */
export function formatPrice(price: number, precision: MarketPrecision): string {
  const d = countStepDecimals(precision.priceTick);
  return (Math.round(price / precision.priceTick) * precision.priceTick).toFixed(d);
}

/** A size at the venue's amount step: 0.29700000000000004 → "0.297" on a 0.001 step. */
export function formatSize(size: number, precision: MarketPrecision): string {
  const d = countStepDecimals(precision.amountStep);
  return (Math.round(size / precision.amountStep) * precision.amountStep).toFixed(d);
}
