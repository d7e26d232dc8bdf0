import type * as ccxt from 'ccxt';
import type { Account } from '../../domain/schemas/account';
import type { Side } from '../../domain/schemas/trade';

/** The venue's view of our position, in the domain's terms. */
export interface VenuePosition {
  side: Side;
  size: number;
  entryPrice: number;
  liquidationPrice: number | null;
  leverage: number | null;
}

/** An open order at the venue; `conditional` marks protective (algo) orders. */
export interface VenueOrder {
  id: string;
  clientOrderId: string | null;
  type: string | null;
  side: string | null;
  amount: number;
  filled: number;
  /** Average price of what filled so far; null before any fill. */
  average: number | null;
  price: number | null;
  triggerPrice: number | null;
  reduceOnly: boolean;
  conditional: boolean;
}

export function toVenuePosition(p: ccxt.Position, symbol: string): VenuePosition | null {
  const size = Math.abs(Number(p.contracts ?? 0));
  if (p.symbol !== symbol || !(size > 0) || (p.side !== 'long' && p.side !== 'short')) return null;
  const liquidation = Number(p.liquidationPrice);
  const leverage = Number(p.leverage);
  return {
    side: p.side,
    size,
    entryPrice: Number(p.entryPrice ?? 0),
    liquidationPrice: Number.isFinite(liquidation) && liquidation > 0 ? liquidation : null,
    leverage: Number.isFinite(leverage) && leverage > 0 ? leverage : null,
  };
}

export function toVenueOrder(o: ccxt.Order, conditional: boolean): VenueOrder {
  return {
    id: String(o.id),
    clientOrderId: o.clientOrderId ?? null,
    type: o.type ?? null,
    side: o.side ?? null,
    amount: Number(o.amount ?? 0),
    filled: Number(o.filled ?? 0),
    average: Number(o.average ?? 0) > 0 ? Number(o.average) : null,
    price: o.price ?? null,
    triggerPrice: o.triggerPrice ?? null,
    reduceOnly: o.reduceOnly === true,
    conditional,
  };
}

/** Differences between our account record and the venue, one sentence each (empty = in sync). */
export function findDrift(
  expected: Account,
  position: VenuePosition | null,
  openOrders: readonly VenueOrder[],
  walletAtVenue: number,
  walletTolerance: number,
): string[] {
  const drift: string[] = [];
  const mine = expected.position;
  if (mine && !position) drift.push(`account holds a ${mine.side} ${mine.size} position the venue does not`);
  if (!mine && position) drift.push(`venue holds a ${position.side} ${position.size} position the account does not`);
  if (mine && position) {
    if (mine.side !== position.side) drift.push(`position side: account ${mine.side}, venue ${position.side}`);
    if (Math.abs(mine.size - position.size) > 1e-9)
      drift.push(`position size: account ${mine.size}, venue ${position.size}`);
    if (Math.abs(mine.entryPrice - position.entryPrice) > 0.005 * mine.entryPrice) {
      drift.push(`entry price: account ${mine.entryPrice}, venue ${position.entryPrice}`);
    }
  }
  const venueIds = new Set(openOrders.map((o) => o.clientOrderId));
  for (const o of expected.openOrders)
    if (!venueIds.has(o.orderId)) drift.push(`resting order ${o.orderId} is not open at the venue`);
  const knownIds = new Set(expected.openOrders.map((o) => o.orderId));
  for (const o of openOrders.filter((x) => !x.conditional)) {
    if (!o.clientOrderId || !knownIds.has(o.clientOrderId))
      drift.push(`venue order ${o.clientOrderId ?? o.id} is unknown to the account`);
  }
  if (mine) {
    for (const suffix of ['-sl', '-tp']) {
      if (!venueIds.has(`${mine.orderId}${suffix}`))
        drift.push(`protective order ${mine.orderId}${suffix} is missing at the venue`);
    }
  } else {
    for (const o of openOrders.filter((x) => x.conditional))
      drift.push(`protective order ${o.clientOrderId ?? o.id} is open without a position`);
  }
  if (Math.abs(walletAtVenue - expected.wallet) > walletTolerance * Math.max(1, Math.abs(expected.wallet))) {
    drift.push(`wallet: account ${expected.wallet.toFixed(2)}, venue ${walletAtVenue.toFixed(2)} USDT`);
  }
  return drift;
}
