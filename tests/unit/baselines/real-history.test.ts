import { resolve } from 'node:path';
import { readCandleFile, readFundingFile } from '../../../adapters/market/csv-files';
import { prepareBaselineWindow } from '../../../domain/baselines/baseline-window';
import { runRandomEntriesOnce } from '../../../domain/baselines/random-entries';
import { runBaselines, type BaselineResult } from '../../../domain/baselines/run-baselines';
import { BAR_MS, COSTS } from './fixtures';

const DATA = resolve(__dirname, '../../../../shared/data');
// 2019-10-10 → 2025-06-30: the last bar traded opens 2025-06-30 16:00 and closes 20:00, so no bar of
// the holdout (from 2025-07-01) is read, not even one that closes on it.
const FROM = Date.UTC(2019, 9, 10);
const TO = Date.UTC(2025, 5, 30, 20);

function loadHistory() {
  const { candles } = readCandleFile(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, BAR_MS);
  const funding = readFundingFile(`${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`);
  return { candles: candles.filter((c) => c.t + BAR_MS <= TO), funding: funding.filter((f) => f.t <= TO) };
}

describe('baselines over the real Binance BTCUSDT perp history 2019-10-10 → 2025-06-30', () => {
  const initialEquity = 10_000;
  const input = { ...loadHistory(), fromMs: FROM, toMs: TO, barMs: BAR_MS, initialEquity, costs: COSTS, seeds: 1 };
  const result = runBaselines(input);
  const window = prepareBaselineWindow(input);
  const runs: BaselineResult[] = [
    result.buy_and_hold,
    result.ema_crossover,
    result.rsi_mean_reversion,
    ...Array.from({ length: 8 }, (_, seed) => runRandomEntriesOnce(window, seed, 0.5, 6)),
  ];

  it('covers every 4h close of the period and none of the holdout', () => {
    expect(window.bars[0]!.t + BAR_MS).toBe(FROM);
    expect(window.bars.at(-1)!.t + BAR_MS).toBe(TO);
    expect(window.bars.length).toBeGreaterThan(12_000);
  });

  it.each(runs.map((r) => [r.name, r] as const))('%s: no equity point below zero', (_name, r) => {
    const lowest = Math.min(...r.curve.map((p) => p.equity));
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(r.metrics.max_drawdown).toBeLessThanOrEqual(1);
  });

  it.each(runs.map((r) => [r.name, r] as const))(
    '%s: final equity = initial + Σ realized − Σ fees + Σ funding of its trades',
    (_name, r) => {
      const net = r.trades.reduce((s, t) => s + t.realizedPnl - t.fees + t.funding, 0);
      expect(Math.abs(r.metrics.final_equity - (initialEquity + net))).toBeLessThanOrEqual(
        1e-9 * Math.max(initialEquity, Math.abs(r.metrics.final_equity)),
      );
      expect(r.curve.at(-1)!.equity).toBe(r.metrics.final_equity);
      expect(r.metrics.liquidations).toBe(r.trades.filter((t) => t.exitReason === 'liquidation').length);
    },
  );

  it('every liquidated baseline trade lost at most its margin (price loss, funding paid and exit fee)', () => {
    const liquidated = runs.flatMap((r) => r.trades).filter((t) => t.exitReason === 'liquidation');
    expect(liquidated.length).toBeGreaterThan(0);
    for (const t of liquidated) {
      const margin = (t.entryPrice * t.size) / t.leverage;
      // Baselines enter with market orders: the entry fee is the taker fee on the entry notional.
      const exitFee = t.fees - t.entryPrice * t.size * COSTS.takerFee;
      expect(-(t.realizedPnl - exitFee + t.funding)).toBeLessThanOrEqual(margin * (1 + 1e-9));
    }
  });

  it('buy-and-hold pays its funding out of its margin and is liquidated when the funding exhausts it', () => {
    const bh = result.buy_and_hold;
    expect(bh.metrics.funding).toBeLessThan(0);
    const liquidated = bh.trades.filter((t) => t.exitReason === 'liquidation');
    expect(liquidated.length).toBeGreaterThanOrEqual(1);
    for (const t of liquidated) expect(-t.funding).toBeCloseTo((t.entryPrice * t.size) / t.leverage, 6);
  });
});
