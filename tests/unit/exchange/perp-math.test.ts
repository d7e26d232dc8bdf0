import {
  fundingPayment,
  initialMargin,
  liquidationPrice,
  liquidationPriceForPosition,
  maintenanceMargin,
  unrealizedPnl,
} from '../../../domain/exchange/perp-math';
import { BTCUSDT_TIERS, findTier, InvalidNotional } from '../../../domain/exchange/tiers';

describe('perp math', () => {
  // Source: docs/perp-math.md "Liquidation price, Binance USDⓈ-M formula" (Binance's worked
  // examples, also in freqtrade tests/exchange/test_binance.py).
  it('reproduces the Binance BTCUSDT liquidation example (LP 18,778.73)', () => {
    const lp = liquidationPrice({
      side: 'long',
      size: 109.488,
      entryPrice: 32_481.98,
      walletBalance: 1_535_443.01,
      mmr: 0.025,
      cum: 16_300,
    });
    expect(lp).toBeCloseTo(18_778.73, 2);
  });

  it('reproduces the Binance ETHUSDT liquidation example (LP 1,114.78)', () => {
    const lp = liquidationPrice({
      side: 'long',
      size: 3_683.979,
      entryPrice: 1_456.84,
      walletBalance: 1_535_443.01,
      mmr: 0.1,
      cum: 135_365,
    });
    expect(lp).toBeCloseTo(1_114.78, 2);
  });

  it('puts a short liquidation above the entry, where equity equals maintenance margin', () => {
    const [size, entry, margin] = [0.5, 30_000, 1_500]; // 10x
    const lp = liquidationPriceForPosition('short', size, entry, margin);
    expect(lp).toBeGreaterThan(entry);
    // At LP: margin + uPnL = maintenance margin (Binance's definition of the liquidation point).
    expect(margin + unrealizedPnl('short', size, entry, lp)).toBeCloseTo(maintenanceMargin(size * lp), 6);
  });

  it('gives no liquidation price (0) to an unlevered long', () => {
    expect(liquidationPriceForPosition('long', 1, 30_000, 30_000)).toBe(0);
  });

  // Source: docs/perp-math.md "Funding payment" (freqtrade test_calculate_funding_fees).
  it('makes the long pay 0.002 and the short receive 0.002 at rate 0.0001, size 10, mark 2.0', () => {
    expect(fundingPayment('long', 10, 2.0, 0.0001)).toBeCloseTo(-0.002, 12);
    expect(fundingPayment('short', 10, 2.0, 0.0001)).toBeCloseTo(0.002, 12);
  });

  it('computes initial margin as notional over leverage and PnL signed by side', () => {
    expect(initialMargin(50_000, 5)).toBe(10_000);
    expect(() => initialMargin(1, 0.5)).toThrow(RangeError);
    expect(unrealizedPnl('long', 2, 100, 110)).toBe(20);
    expect(unrealizedPnl('short', 2, 100, 110)).toBe(-20);
  });

  it('derives tier maintenance amounts that make maintenance margin continuous at each floor', () => {
    for (let i = 1; i < BTCUSDT_TIERS.length; i++) {
      const prev = BTCUSDT_TIERS[i - 1]!;
      const tier = BTCUSDT_TIERS[i]!;
      const atFloorPrev = tier.notionalFloor * prev.mmr - prev.cum;
      const atFloorNext = tier.notionalFloor * tier.mmr - tier.cum;
      expect(Math.abs(atFloorNext - atFloorPrev)).toBeLessThan(1e-6);
    }
    expect(findTier(49_999).maxLeverage).toBe(125);
    expect(findTier(50_000).maxLeverage).toBe(100);
    expect(findTier(1e9).maxLeverage).toBe(1);
    expect(() => findTier(-1)).toThrow(InvalidNotional);
  });
});
