import type { ClosedTrade } from '../../../domain/schemas/account';
import type { EquityPoint } from '../../../domain/metrics/performance';

export const DAY_MS = 86_400_000;
export const JAN_30_2024 = Date.UTC(2024, 0, 30);

/**
 * Five daily marks straddling the January/February boundary.
 * Returns: +10 %, −10 %, +10 %, +10 % (mean 0.05, sample sd 0.1); peak 110 → trough 99 (−10 %).
 */
export const FIVE_POINT_CURVE: EquityPoint[] = [100, 110, 99, 108.9, 119.79].map((equity, i) => ({
  t: JAN_30_2024 + i * DAY_MS,
  equity,
  close: 40_000 + i * 100,
}));

/** A closed trade with sensible defaults; override what the test is about. */
export function makeTrade(overrides: Partial<ClosedTrade>): ClosedTrade {
  return {
    tradeId: 't',
    clientOrderId: 'c',
    traderId: 'trader-1',
    side: 'long',
    entryTimeMs: Date.UTC(2023, 0, 1),
    entryPrice: 40_000,
    exitTimeMs: Date.UTC(2023, 0, 2),
    exitPrice: 41_000,
    size: 0.01,
    leverage: 3,
    liquidationPrice: 27_000,
    exitReason: 'take_profit',
    realizedPnl: 0,
    fees: 0,
    funding: 0,
    riskAmount: 10,
    ...overrides,
  };
}

/**
 * Net PnL 29, −12, 4, −20 → 2 wins of 4, profit factor 33 / 32, R multiples 2.9, −1, 1, −2.
 * Trades 1 and 3 overlap (exposure must not double count) and trade 4 is a liquidation.
 */
export const FOUR_TRADES: ClosedTrade[] = [
  makeTrade({
    tradeId: '1',
    realizedPnl: 30,
    fees: 2,
    funding: 1,
    riskAmount: 10,
    entryTimeMs: JAN_30_2024,
    exitTimeMs: JAN_30_2024 + 2 * DAY_MS,
  }),
  makeTrade({
    tradeId: '2',
    side: 'short',
    realizedPnl: -10,
    fees: 1,
    funding: -1,
    riskAmount: 12,
    exitReason: 'stop_loss',
  }),
  makeTrade({
    tradeId: '3',
    realizedPnl: 5,
    fees: 1,
    funding: 0,
    riskAmount: 4,
    entryTimeMs: JAN_30_2024 + DAY_MS,
    exitTimeMs: JAN_30_2024 + 2 * DAY_MS,
  }),
  makeTrade({
    tradeId: '4',
    realizedPnl: -20,
    fees: 2,
    funding: 2,
    riskAmount: 10,
    exitReason: 'liquidation',
    entryTimeMs: JAN_30_2024 + 3 * DAY_MS,
    exitTimeMs: JAN_30_2024 + 4.5 * DAY_MS,
  }),
];
