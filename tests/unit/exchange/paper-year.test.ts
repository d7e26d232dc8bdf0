import { closedTradesOf } from '../../../domain/exchange/closed-trades';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyBar, closePosition, createAccount, equityOf, submitOrder } from '../../../domain/exchange/paper-exchange';
import { unrealizedPnl } from '../../../domain/exchange/perp-math';
import { AccountSchema, type Account, type ClosedTrade } from '../../../domain/schemas/account';
import type { Candle, FundingRate } from '../../../domain/schemas/market';
import type { Order } from '../../../domain/schemas/trade';
import { COSTS, H4, expectClose, makeOrder } from './fixtures';
import { SHARED_DATA } from '../../helpers/shared-data';

const DATA = SHARED_DATA;
const FROM = Date.UTC(2023, 0, 1);
const TO = Date.UTC(2024, 0, 1);

function readRows(file: string): number[][] {
  return readFileSync(join(DATA, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number));
}

const candles: Candle[] = readRows('candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv')
  .filter(([t]) => t! >= FROM && t! < TO)
  .map(([t, open, high, low, close, volume]) => ({
    t: t!,
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    volume: volume!,
  }));
const funding: FundingRate[] = readRows('funding/binance_usdm_btcusdt_funding_8h.csv')
  .filter(([t]) => t! > FROM && t! <= TO)
  .map(([t, rate]) => ({ t: t!, rate: rate! }));

/**
 * A deliberately simple, deterministic rule (not a strategy): every 6th bar, trade in the direction
 * of close vs its 20-bar mean, cycling order type and leverage; the 40x variant puts its stop beyond
 * the liquidation price so real liquidations happen.
 */
function decide(i: number, account: Account): Order | null {
  if (i < 20 || i % 6 !== 0) return null;
  const bar = candles[i]!;
  const mean = candles.slice(i - 20, i).reduce((s, c) => s + c.close, 0) / 20;
  const direction = bar.close >= mean ? 'long' : 'short';
  if (account.position?.side === direction) return null;
  const s = direction === 'long' ? 1 : -1;
  const variant = (i / 6) % 3;
  const leverage = [3, 10, 40][variant]!;
  const stopPct = variant === 2 ? 0.05 : 0.02;
  const limit = i % 4 === 0;
  const entry = limit ? bar.close * (1 - s * 0.005) : bar.close;
  return makeOrder({
    orderId: `td-year-${i}`,
    createdAtMs: bar.t + H4,
    currentPrice: bar.close,
    orderType: limit ? 'limit' : 'market',
    limitPrice: limit ? entry : null,
    size: 0.25,
    direction,
    stopLoss: entry * (1 - s * stopPct),
    takeProfit: entry * (1 + s * 0.04),
    leverage,
    expiresAfterBars: limit ? 3 : 1,
    horizonBars: 12,
  });
}

function sumOf(trades: readonly ClosedTrade[], pick: (t: ClosedTrade) => number): number {
  return trades.reduce((s, t) => s + pick(t), 0);
}

describe('paper exchange over 2023 of real Binance BTCUSDT perp 4h bars and funding', () => {
  it('keeps the accounting invariants to 1e-9 relative through every bar', () => {
    expect(candles.length).toBeGreaterThan(2_000);
    const initial = 10_000;
    let account = createAccount(initial, candles[0]!.t);
    const trades: ClosedTrade[] = [];
    let fundingEvents = 0;
    for (let i = 0; i < candles.length; i++) {
      const bar = candles[i]!;
      const step = applyBar(account, bar, H4, funding, COSTS);
      account = step.account;
      trades.push(...closedTradesOf(step.events));
      fundingEvents += step.events.filter((e) => e.type === 'funding').length;
      const order = decide(i, account);
      if (order) {
        const submitted = submitOrder(account, order, bar, H4, COSTS);
        account = submitted.account;
        trades.push(...closedTradesOf(submitted.events));
      }
      const p = account.position;
      const upnl = p ? unrealizedPnl(p.side, p.size, p.entryPrice, bar.close) : 0;
      expectClose(equityOf(account, bar.close), account.wallet + upnl, 1e-9, `equity at bar ${i}`);
      expectClose(
        account.wallet,
        initial + account.realizedPnl - account.fees + account.funding,
        1e-9,
        `wallet totals at bar ${i}`,
      );
      if (!p) {
        const fromTrades =
          initial +
          sumOf(trades, (t) => t.realizedPnl) -
          sumOf(trades, (t) => t.fees) +
          sumOf(trades, (t) => t.funding);
        expectClose(account.wallet, fromTrades, 1e-9, `flat wallet vs closed trades at bar ${i}`);
      }
    }
    const last = candles[candles.length - 1]!;
    const end = closePosition(account, last.close, last.t + H4, 'end_of_backtest', COSTS);
    trades.push(...closedTradesOf(end.events));
    account = end.account;

    const net = sumOf(trades, (t) => t.realizedPnl) - sumOf(trades, (t) => t.fees) + sumOf(trades, (t) => t.funding);
    expectClose(
      account.wallet - initial,
      net,
      1e-9 * initial,
      'final_equity − initial = Σ realized − Σ fees + Σ funding',
    );
    for (const t of trades.filter((x) => x.exitReason === 'liquidation')) {
      const margin = (t.entryPrice * t.size) / t.leverage;
      expect(-t.realizedPnl).toBeLessThanOrEqual(margin * (1 + 1e-9));
    }
    const reasons = new Set(trades.map((t) => t.exitReason));
    expect([...reasons].sort()).toEqual(expect.arrayContaining(['liquidation', 'stop_loss', 'take_profit', 'time']));
    expect(account.liquidations).toBe(trades.filter((t) => t.exitReason === 'liquidation').length);
    expect(account.tradeCount).toBe(trades.length);
    expect(fundingEvents).toBeGreaterThan(100);
    expect(() => AccountSchema.parse(account)).not.toThrow();
  });
});
