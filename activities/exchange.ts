import { closedTradesOf } from '../domain/exchange/closed-trades';
import { applyBar, cancelAllOrders, closePosition, equityOf, submitOrder } from '../domain/exchange/paper-exchange';
import { ClassifiedError, FailureType } from '../domain/failures';
import { findStaleness } from '../domain/market/freshness';
import type { Account, AccountEvent } from '../domain/schemas/account';
import type { ExchangeCosts } from '../domain/schemas/config';
import { BAR_MS } from '../domain/schemas/config';
import type { Candle, FundingRate } from '../domain/schemas/market';
import { type FlattenInput, FlattenInputSchema, type FlattenResult } from '../domain/schemas/ops';
import {
  type ExecuteOrdersInput,
  ExecuteOrdersInputSchema,
  type ExecuteOrdersResult,
  ExecuteOrdersResultSchema,
  type SyncAccountsInput,
  SyncAccountsInputSchema,
  type SyncAccountsResult,
  SyncAccountsResultSchema,
} from '../domain/schemas/steps';
import type { Order } from '../domain/schemas/trade';
import { loadSnapshot } from './analyst';
import type { ActivityDeps } from './deps';
import { inputOf } from './validate';

/** Replays the closed bars an account has not seen yet through the paper simulator. */
function markToBars(
  account: Account,
  candles: readonly Candle[],
  funding: FundingRate[],
  costs: ExchangeCosts,
): { account: Account; events: AccountEvent[] } {
  let acc = account;
  const events: AccountEvent[] = [];
  for (const bar of candles) {
    if (bar.t <= acc.lastBarOpenMs) continue;
    const step = applyBar(acc, bar, BAR_MS, funding, costs);
    acc = step.account;
    events.push(...step.events);
  }
  // Mark to the latest close even when no new bar was applied (a fresh account has no mark yet).
  const last = candles.at(-1);
  return { account: last ? { ...acc, markPrice: last.close } : acc, events };
}

/** X-S: fills, TP/SL, liquidations and funding since the last sync (paper), or reconciliation with the venue (live). */
export async function syncAccounts(deps: ActivityDeps, raw: SyncAccountsInput): Promise<SyncAccountsResult> {
  const input = inputOf(deps, SyncAccountsInputSchema, raw);
  const snapshot = await loadSnapshot(deps, input.snapshotRef);
  const main =
    input.mode === 'live'
      ? await requireLive(deps).sync(input.account, snapshot)
      : { ...markToBars(input.account, snapshot.candles, snapshot.funding, input.costs), drift: [] as string[] };
  const shadow: Record<string, Account> = {};
  const shadowClosed = [];
  for (const [id, account] of Object.entries(input.shadow)) {
    const step = markToBars(account, snapshot.candles, snapshot.funding, input.costs);
    shadow[id] = step.account;
    shadowClosed.push(...closedTradesOf(step.events));
  }
  const close = snapshot.candles.at(-1)?.close ?? main.account.markPrice;
  return SyncAccountsResultSchema.parse({
    account: main.account,
    shadow,
    events: main.events,
    shadowClosed,
    equity: equityOf(main.account, close),
    drift: main.drift,
  });
}

/** X-E: the approved order on the fund's account (paper simulator or the venue), every shadow order on its shadow account. */
export async function executeOrders(deps: ActivityDeps, raw: ExecuteOrdersInput): Promise<ExecuteOrdersResult> {
  const input = inputOf(deps, ExecuteOrdersInputSchema, raw);
  const snapshot = await loadSnapshot(deps, input.snapshotRef);
  const bar = snapshot.candles.at(-1);
  if (!bar) throw new ClassifiedError(FailureType.DataUnavailable, 'no closed bar to execute against', false);
  // A stale bar would fill at an old close and stamp the fill before the gap: no order fills on it
  // (M-A refuses the fund's order already; shadow orders skip risk review, so they are stopped here).
  const staleness = findStaleness(snapshot.candles, input.ctx.barCloseMs, BAR_MS);
  const paper = (account: Account, order: Order | null) => {
    if (order && staleness)
      return {
        account: { ...account, markPrice: bar.close },
        order: null,
        events: [{ type: 'reject' as const, orderId: order.orderId, atMs: input.ctx.barCloseMs, reason: staleness }],
      };
    const done = order
      ? submitOrder(account, order, bar, BAR_MS, input.costs)
      : { account, order: null, events: [] as AccountEvent[] };
    return { ...done, account: { ...done.account, markPrice: bar.close } };
  };
  const main =
    input.mode === 'live' && input.order && !staleness
      ? await requireLive(deps).execute(input.account, input.order, bar)
      : paper(input.account, input.order);
  const shadow: Record<string, Account> = {};
  const shadowClosed = [];
  for (const [id, s] of Object.entries(input.shadow)) {
    const done = paper(s.account, s.order);
    shadow[id] = done.account;
    shadowClosed.push(...closedTradesOf(done.events));
  }
  return ExecuteOrdersResultSchema.parse({
    account: main.account,
    order: main.order,
    shadow,
    events: main.events,
    shadowClosed,
  });
}

/**
 * X-S and X-E on the paper simulator, scheduled as pure steps: a paper or backtest fund touches no
 * venue, so it needs neither the exchange queue nor a round trip to it. Refuses a live fund.
 */
export async function syncAccountsPaper(deps: ActivityDeps, raw: SyncAccountsInput): Promise<SyncAccountsResult> {
  requirePaper(raw, 'X-S.syncAccountsPaper');
  return syncAccounts(deps, raw);
}

export async function executeOrdersPaper(deps: ActivityDeps, raw: ExecuteOrdersInput): Promise<ExecuteOrdersResult> {
  requirePaper(raw, 'X-E.executeOrdersPaper');
  return executeOrders(deps, raw);
}

function requirePaper(raw: { mode?: unknown }, type: string): void {
  if (raw.mode === 'live')
    throw new ClassifiedError(
      FailureType.ConfigInvalid,
      `${type} runs the paper simulator: a live fund's step goes to the exchange queue`,
      false,
    );
}

/** X-F: the kill switch: cancel all orders, close the position with a reduce-only market order. */
export async function flattenAccount(deps: ActivityDeps, raw: FlattenInput): Promise<FlattenResult> {
  const input = inputOf(deps, FlattenInputSchema, raw);
  if (input.mode === 'live') return requireLive(deps).flatten(input.account, input.reason);
  const cancelled = cancelAllOrders(input.account, input.atMs, input.reason);
  if (!cancelled.account.position) return cancelled;
  const closed = closePosition(
    cancelled.account,
    cancelled.account.markPrice,
    input.atMs,
    'emergency_stop',
    input.costs,
  );
  return { account: closed.account, events: [...cancelled.events, ...closed.events] };
}

function requireLive(deps: ActivityDeps) {
  if (!deps.live)
    throw new ClassifiedError(
      FailureType.ConfigInvalid,
      'live mode needs --live and exchange keys on the exchange worker',
      false,
    );
  return deps.live;
}
