import type { OrderStatus } from '../schemas/trade';
import { defineCheck, type RiskCheck } from './risk-check';
import { formatNumber as n, formatPercent as pct } from './risk-math';
import { HOUR_MS } from '../market/time-grid';

/** Checks of the account's state: they fail whatever the order says, so all are hard. */

const PENDING_STATUSES: readonly OrderStatus[] = ['created', 'submitted', 'open', 'partially_filled'];

export const maxOpenPositionsCheck = defineCheck(
  'max_open_positions',
  'hard',
  'Same-side positions and pending entries below maxOpenPositions.',
  (order, ctx) => {
    const { position, openOrders } = ctx.account;
    const samePosition = position !== null && position.side === order.direction ? 1 : 0;
    const samePending = openOrders.filter(
      (o) => o.orderId !== order.orderId && o.direction === order.direction && PENDING_STATUSES.includes(o.status),
    ).length;
    const open = samePosition + samePending;
    const ok = open < ctx.limits.maxOpenPositions;
    return {
      ok,
      reason: ok
        ? `${open} ${order.direction} position(s) open, max ${ctx.limits.maxOpenPositions}`
        : `${order.direction} exposure already open (${samePosition} position, ${samePending} pending order(s)), max ${ctx.limits.maxOpenPositions}: no new ${order.direction} entry`,
    };
  },
);

export const dailyLossCheck = defineCheck(
  'daily_loss_limit',
  'hard',
  'Loss since the UTC day start below dailyLossLimit.',
  (_order, ctx) => {
    const { equity, dayStartEquity } = ctx.risk;
    const loss = dayStartEquity > 0 ? (dayStartEquity - equity) / dayStartEquity : 0;
    const ok = loss < ctx.limits.dailyLossLimit;
    return {
      ok,
      reason: ok
        ? `daily loss ${pct(Math.max(0, loss))} below limit ${pct(ctx.limits.dailyLossLimit)}`
        : `daily loss ${pct(loss)} (equity ${n(equity)} vs day start ${n(dayStartEquity)}) reached limit ${pct(ctx.limits.dailyLossLimit)}: no new entries today`,
    };
  },
);

export const maxDrawdownCheck = defineCheck(
  'max_drawdown',
  'hard',
  'Drawdown from peak equity below maxDrawdown.',
  (_order, ctx) => {
    const { equity, peakEquity } = ctx.risk;
    const drawdown = peakEquity > 0 ? (peakEquity - equity) / peakEquity : 0;
    const ok = drawdown < ctx.limits.maxDrawdown;
    return {
      ok,
      reason: ok
        ? `drawdown ${pct(Math.max(0, drawdown))} below max ${pct(ctx.limits.maxDrawdown)}`
        : `drawdown ${pct(drawdown)} (equity ${n(equity)} vs peak ${n(peakEquity)}) reached max ${pct(ctx.limits.maxDrawdown)}: trading halted`,
    };
  },
);

export const cooldownCheck = defineCheck(
  'loss_cooldown',
  'hard',
  'No entries while a breaker cool-down (losing streak or daily loss) runs.',
  (_order, ctx) => {
    const ok = ctx.risk.cooldownUntilMs <= ctx.barCloseMs;
    const barsLeft = ctx.risk.cooldownUntilMs - ctx.barCloseMs;
    return {
      ok,
      reason: ok
        ? `no cool-down (${ctx.risk.consecutiveLosses} consecutive losses)`
        : `breaker cool-down (losing streak or daily loss) runs ${n(barsLeft / HOUR_MS)} h more (until ${ctx.risk.cooldownUntilMs} ms): no new entries`,
    };
  },
);

export const haltedCheck = defineCheck('halted', 'hard', 'No entries while trading is halted.', (_order, ctx) => ({
  ok: ctx.risk.tradingState !== 'halted',
  reason: ctx.risk.tradingState === 'halted' ? 'trading is halted: no new entries until resumed' : 'trading active',
}));

export const ACCOUNT_CHECKS: readonly RiskCheck[] = [
  haltedCheck,
  dailyLossCheck,
  maxDrawdownCheck,
  cooldownCheck,
  maxOpenPositionsCheck,
];
