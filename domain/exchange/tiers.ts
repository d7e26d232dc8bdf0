/**
 * Binance USDⓈ-M BTCUSDT leverage and maintenance-margin brackets (isolated and cross share them).
 *
 * Source: Binance "Leverage and Margin of USDⓈ-M Futures" table and `GET /fapi/v1/leverageBracket`
 * for BTCUSDT (floors in USDT notional). Binance revises these tables from time to time; the
 * maintenance amount `cum` is not copied but derived from the table by Binance's own rule
 * cum_i = cum_{i-1} + floor_i × (MMR_i − MMR_{i-1}), which makes the maintenance margin
 * (notional × MMR − cum) continuous at every bracket floor.
 */
export interface LeverageTier {
  readonly tier: number;
  /** Lowest position notional (USDT, inclusive) of the bracket. */
  readonly notionalFloor: number;
  /** Highest position notional (USDT, exclusive) of the bracket. */
  readonly notionalCap: number;
  readonly maxLeverage: number;
  /** Maintenance margin rate. */
  readonly mmr: number;
  /** Maintenance amount: maintenance margin = notional × mmr − cum. */
  readonly cum: number;
}

const BRACKETS: readonly { floor: number; cap: number; maxLeverage: number; mmr: number }[] = [
  { floor: 0, cap: 50_000, maxLeverage: 125, mmr: 0.004 },
  { floor: 50_000, cap: 500_000, maxLeverage: 100, mmr: 0.005 },
  { floor: 500_000, cap: 8_000_000, maxLeverage: 50, mmr: 0.01 },
  { floor: 8_000_000, cap: 50_000_000, maxLeverage: 20, mmr: 0.025 },
  { floor: 50_000_000, cap: 80_000_000, maxLeverage: 10, mmr: 0.05 },
  { floor: 80_000_000, cap: 100_000_000, maxLeverage: 5, mmr: 0.1 },
  { floor: 100_000_000, cap: 200_000_000, maxLeverage: 4, mmr: 0.125 },
  { floor: 200_000_000, cap: 300_000_000, maxLeverage: 3, mmr: 0.15 },
  { floor: 300_000_000, cap: 500_000_000, maxLeverage: 2, mmr: 0.25 },
  { floor: 500_000_000, cap: Number.POSITIVE_INFINITY, maxLeverage: 1, mmr: 0.5 },
];

function buildTiers(): LeverageTier[] {
  const tiers: LeverageTier[] = [];
  let cum = 0;
  let previousMmr = 0;
  BRACKETS.forEach((b, i) => {
    cum += b.floor * (b.mmr - previousMmr);
    previousMmr = b.mmr;
    tiers.push({
      tier: i + 1,
      notionalFloor: b.floor,
      notionalCap: b.cap,
      maxLeverage: b.maxLeverage,
      mmr: b.mmr,
      cum,
    });
  });
  return tiers;
}

/** BTCUSDT brackets, lowest notional first. */
export const BTCUSDT_TIERS: readonly LeverageTier[] = buildTiers();

/** Thrown when a notional is negative or not a number (no bracket can hold it). */
export class InvalidNotional extends Error {
  constructor(readonly notional: number) {
    super(`no leverage bracket for notional ${notional}`);
    this.name = 'InvalidNotional';
  }
}

/** The bracket holding a position of this USDT notional. */
export function findTier(notional: number, tiers: readonly LeverageTier[] = BTCUSDT_TIERS): LeverageTier {
  if (!Number.isFinite(notional) || notional < 0) throw new InvalidNotional(notional);
  const tier = tiers.find((t) => notional >= t.notionalFloor && notional < t.notionalCap);
  if (!tier) throw new InvalidNotional(notional);
  return tier;
}

/**
 * Why the venue would refuse `leverage` on a position of this notional (the bracket's maximum
 * leverage is lower), or null when it is allowed. Binance rejects such an order the same way.
 */
export function explainLeverageAboveCap(
  notional: number,
  leverage: number,
  tiers: readonly LeverageTier[] = BTCUSDT_TIERS,
): string | null {
  const tier = findTier(Math.abs(notional), tiers);
  if (leverage <= tier.maxLeverage) return null;
  return `leverage ${leverage}x above the ${tier.maxLeverage}x maximum of bracket ${tier.tier} (notional ${Math.round(Math.abs(notional))} USDT)`;
}
