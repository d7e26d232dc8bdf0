import { BAR_MS } from '../../../domain/schemas/config';
import type { ExchangeCosts } from '../../../domain/schemas/config';
import type { Candle } from '../../../domain/schemas/market';
import type { Order } from '../../../domain/schemas/trade';

export const H4 = BAR_MS;
/** 2023-01-01T00:00Z: a funding settlement instant, so 8h settlements fall on bar closes. */
export const T0 = Date.UTC(2023, 0, 1);
export const NO_COSTS: ExchangeCosts = { makerFee: 0, takerFee: 0, slippageBps: 0 };
export const COSTS: ExchangeCosts = { makerFee: 0.0002, takerFee: 0.0005, slippageBps: 2 };

export function makeBar(i: number, open: number, high: number, low: number, close: number): Candle {
  return { t: T0 + i * H4, open, high, low, close, volume: 1 };
}

/** A flat bar at `price`. */
export function flatBar(i: number, price: number): Candle {
  return makeBar(i, price, price, price, price);
}

export function makeOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'td0000000000000001',
    traderId: 'trader-1',
    symbol: 'BTC/USDT:USDT',
    createdAtMs: T0 + H4,
    currentPrice: 100,
    orderType: 'market',
    limitPrice: null,
    size: 1,
    direction: 'long',
    takeProfit: 110,
    stopLoss: 95,
    closedPrice: null,
    leverage: 5,
    liquidationPrice: 0,
    expiresAfterBars: 1,
    horizonBars: 50,
    status: 'created',
    confidence: 0.6,
    ...overrides,
  };
}

/** |a − b| within `rel` of the larger magnitude (or of 1 near zero). */
export function expectClose(actual: number, expected: number, rel = 1e-9, why = ''): void {
  const scale = Math.max(1, Math.abs(actual), Math.abs(expected));
  if (Math.abs(actual - expected) > rel * scale) {
    throw new Error(
      `${why} expected ${expected}, got ${actual} (|Δ| ${Math.abs(actual - expected)} > ${rel} relative)`,
    );
  }
}
