import type { Account, AccountEvent, Position } from '../schemas/account';
import { type ExchangeCosts, FUNDING_INTERVAL_MS } from '../schemas/config';
import type { Candle, FundingRate } from '../schemas/market';
import { closePositionAt, type Step } from './paper-account';
import { fundingPayment, liquidationPriceForPosition } from './perp-math';

/**
 * Funding settlement on the venue's grid (Binance USDⓈ-M: every 8h from 00:00 UTC). A funding row
 * is a rate published at a time; the settlement it applies to is the first grid instant at or after
 * that time, and at each settlement the last rate published for it is charged once. Rows off the grid
 * are never settlements of their own (the CSV reader reports them with file and row).
 */

/** The venue's funding interval: the configured one, else the Binance default (8h). */
export function fundingIntervalOf(costs: ExchangeCosts): number {
  return costs.fundingIntervalMs ?? FUNDING_INTERVAL_MS;
}

/** The settlement instant a rate published at `publishedMs` applies to: the next grid instant, itself if on the grid. */
export function settlementTimeOf(publishedMs: number, intervalMs: number): number {
  return Math.ceil(publishedMs / intervalMs) * intervalMs;
}

/** True when `t` lies on the settlement grid (a multiple of the interval since 1970-01-01 00:00 UTC). */
export function isOnFundingGrid(t: number, intervalMs: number): boolean {
  return t % intervalMs === 0;
}

/**
 * The settlements in (afterMs, untilMs] that have a published rate, in time order, each with the
 * last rate published for it (t = the settlement instant). On equal timestamps the later row wins:
 * a republished rate corrects the earlier one.
 */
export function collectSettlements(
  funding: readonly FundingRate[],
  afterMs: number,
  untilMs: number,
  intervalMs: number,
): FundingRate[] {
  const latest = new Map<number, FundingRate>();
  for (const f of funding) {
    const s = settlementTimeOf(f.t, intervalMs);
    if (s <= afterMs || s > untilMs) continue;
    const seen = latest.get(s);
    if (!seen || f.t >= seen.t) latest.set(s, f);
  }
  return [...latest.entries()].sort((a, b) => a[0] - b[0]).map(([t, f]) => ({ t, rate: f.rate }));
}

/** True when `mark` is at or beyond the liquidation price on the position's losing side. */
function isBeyondLiquidation(p: Position, mark: number): boolean {
  if (p.liquidationPrice <= 0) return false;
  return p.side === 'long' ? mark <= p.liquidationPrice : mark >= p.liquidationPrice;
}

/**
 * Charges every settlement in (lastFundingMs, closeMs] once, at the bar's close as mark. Isolated
 * margin (Binance USDⓈ-M isolated mode): funding settles against the position's own margin, so a
 * payment takes at most what is left of it and pulls the liquidation price in. A position whose
 * margin the payment exhausts, or whose new liquidation price the mark has already crossed, is
 * liquidated at that settlement; closePositionAt books it so the loss never exceeds the margin.
 * A position opened at or after a settlement instant does not pay that settlement.
 */
export function settleFunding(
  account: Account,
  bar: Candle,
  closeMs: number,
  funding: readonly FundingRate[],
  costs: ExchangeCosts,
): Step {
  let acc = account;
  const events: AccountEvent[] = [];
  for (const due of collectSettlements(funding, account.lastFundingMs, closeMs, fundingIntervalOf(costs))) {
    const p = acc.position;
    if (p && p.openedAtMs < due.t) {
      const amount = Math.max(fundingPayment(p.side, p.size, bar.close, due.rate), -p.margin);
      const margin = p.margin + amount;
      const position: Position = {
        ...p,
        margin,
        funding: p.funding + amount,
        liquidationPrice: liquidationPriceForPosition(p.side, p.size, p.entryPrice, margin),
      };
      acc = { ...acc, wallet: acc.wallet + amount, funding: acc.funding + amount, position };
      events.push({ type: 'funding', atMs: due.t, rate: due.rate, amount });
      if (margin <= 0 || isBeyondLiquidation(position, bar.close)) {
        const closed = closePositionAt(acc, bar.close, due.t, 'liquidation', costs.takerFee);
        acc = closed.account;
        events.push(...closed.events);
      }
    }
    acc = { ...acc, lastFundingMs: due.t };
  }
  return { account: acc, events };
}
