import { defineCheck, type RiskCheck } from './risk-check';
import {
  MIN_CVAR_OBSERVATIONS,
  divideByEquity,
  formatNumber as n,
  formatPercent as pct,
  getEntryPrice,
  getHistoricalCvar95,
  getNotional,
} from './risk-math';

/** Checks of the order's own numbers. Reasons say what to change, with the numbers. */

export const notionalCapCheck = defineCheck(
  'notional_cap',
  'soft',
  'Position notional at most maxNotionalToEquity × equity.',
  (order, ctx) => {
    const notional = getNotional(order);
    const cap = ctx.limits.maxNotionalToEquity * ctx.risk.equity;
    const ok = notional <= cap;
    return {
      ok,
      reason: ok
        ? `notional ${n(notional)} within cap ${n(cap)}`
        : `notional ${n(notional)} above cap ${n(cap)} (${n(ctx.limits.maxNotionalToEquity)}× equity ${n(ctx.risk.equity)}): reduce size to at most ${n(cap / getEntryPrice(order))} BTC`,
    };
  },
);

export const maxLeverageCheck = defineCheck('max_leverage', 'soft', 'Leverage at most maxLeverage.', (order, ctx) => {
  const ok = order.leverage <= ctx.limits.maxLeverage;
  return {
    ok,
    reason: ok
      ? `leverage ${n(order.leverage)} within max ${n(ctx.limits.maxLeverage)}`
      : `leverage ${n(order.leverage)} above max ${n(ctx.limits.maxLeverage)}: use at most ${n(ctx.limits.maxLeverage)}`,
  };
});

export const hardMaxLeverageCheck = defineCheck(
  'hard_max_leverage',
  'hard',
  'Leverage at most hardMaxLeverage.',
  (order, ctx) => {
    const ok = order.leverage <= ctx.limits.hardMaxLeverage;
    return {
      ok,
      reason: ok
        ? `leverage ${n(order.leverage)} within hard max ${n(ctx.limits.hardMaxLeverage)}`
        : `leverage ${n(order.leverage)} above hard max ${n(ctx.limits.hardMaxLeverage)}`,
    };
  },
);

export const marginUsageCheck = defineCheck(
  'margin_usage',
  'soft',
  'Initial margin (order plus same-side exposure) at most maxMarginUsage × equity.',
  (order, ctx) => {
    const orderMargin = getNotional(order) / order.leverage;
    const position = ctx.account.position;
    // One-way mode: an opposite position is reduced by this order, so only same-side margin adds up.
    const existing = position !== null && position.side === order.direction ? position.margin : 0;
    const usage = divideByEquity(orderMargin + existing, ctx.risk.equity);
    const ok = usage <= ctx.limits.maxMarginUsage;
    return {
      ok,
      reason: ok
        ? `margin usage ${pct(usage)} within max ${pct(ctx.limits.maxMarginUsage)}`
        : `margin usage ${pct(usage)} of equity above max ${pct(ctx.limits.maxMarginUsage)} (order margin ${n(orderMargin)}${existing > 0 ? ` + open ${n(existing)}` : ''}): reduce size or raise leverage within its max`,
    };
  },
);

export const riskPerTradeCheck = defineCheck(
  'risk_per_trade',
  'soft',
  '|entry − stop| × size at most maxRiskPerTrade × equity.',
  (order, ctx) => {
    const entry = getEntryPrice(order);
    const atRisk = Math.abs(entry - order.stopLoss) * order.size;
    const fraction = divideByEquity(atRisk, ctx.risk.equity);
    const ok = fraction <= ctx.limits.maxRiskPerTrade;
    const maxSize =
      (ctx.limits.maxRiskPerTrade * ctx.risk.equity) / Math.max(Math.abs(entry - order.stopLoss), Number.EPSILON);
    return {
      ok,
      reason: ok
        ? `risk per trade ${pct(fraction)} within max ${pct(ctx.limits.maxRiskPerTrade)}`
        : `risk per trade ${pct(fraction)} of equity (${n(atRisk)} between entry ${n(entry)} and stop ${n(order.stopLoss)}) above max ${pct(ctx.limits.maxRiskPerTrade)}: reduce size to at most ${n(maxSize)} BTC`,
    };
  },
);

export const cvarCheck = defineCheck(
  'cvar_budget',
  'soft',
  'One-bar historical CVaR95 of the position at most cvarBudget / cvarWeight of equity.',
  (order, ctx) => {
    const notional = getNotional(order);
    const historical =
      ctx.returns.length >= MIN_CVAR_OBSERVATIONS ? getHistoricalCvar95(ctx.returns, order.direction, notional) : null;
    const cvar = historical ?? ctx.fallbackCvar95 * notional;
    const source = historical === null ? 'research estimate' : `${ctx.returns.length} bars`;
    const fraction = divideByEquity(cvar, ctx.risk.equity);
    const budget = ctx.limits.cvarBudget / ctx.cvarWeight;
    const ok = fraction <= budget;
    return {
      ok,
      reason: ok
        ? `CVaR95 ${pct(fraction)} of equity within budget ${pct(budget)} (${source})`
        : `CVaR95 ${pct(fraction)} of equity (${n(cvar)}, ${source}) above budget ${pct(budget)}: reduce size to at most ${n((order.size * budget) / fraction)} BTC`,
    };
  },
);

/** How far the liquidation price lies beyond the stop on the loss side; ≤ 0 means inside the stop. */
function getLiquidationGap(order: { direction: 'long' | 'short'; stopLoss: number; liquidationPrice: number }): number {
  return order.direction === 'long' ? order.stopLoss - order.liquidationPrice : order.liquidationPrice - order.stopLoss;
}

export const liquidationInsideStopCheck = defineCheck(
  'liquidation_inside_stop',
  'hard',
  'The liquidation price lies beyond the stop-loss.',
  (order) => {
    // A long at ≤1× can have no liquidation price (0); a short always has one above entry.
    if (order.liquidationPrice === 0 && order.direction === 'long')
      return { ok: true, reason: 'no liquidation price (unlevered long)' };
    const gap = getLiquidationGap(order);
    const ok = gap > 0;
    return {
      ok,
      reason: ok
        ? `liquidation ${n(order.liquidationPrice)} beyond stop ${n(order.stopLoss)}`
        : `liquidation price ${n(order.liquidationPrice)} inside stop ${n(order.stopLoss)} (${order.direction}): the position would be liquidated before its stop`,
    };
  },
);

export const liquidationBufferCheck = defineCheck(
  'liquidation_buffer',
  'soft',
  'The liquidation price lies beyond the stop by liquidationBufferAtr × ATR.',
  (order, ctx) => {
    if (order.liquidationPrice === 0 && order.direction === 'long')
      return { ok: true, reason: 'no liquidation price (unlevered long)' };
    const gap = getLiquidationGap(order);
    const buffer = ctx.limits.liquidationBufferAtr * ctx.atr;
    // Inside the stop is the hard check's finding; this one only speaks about the buffer beyond it.
    const ok = gap <= 0 || gap >= buffer;
    return {
      ok,
      reason: ok
        ? `liquidation ${n(order.liquidationPrice)} is ${n(gap)} beyond stop, buffer ${n(buffer)}`
        : `liquidation ${n(order.liquidationPrice)} only ${n(gap)} beyond stop ${n(order.stopLoss)}, need ${n(buffer)} (${n(ctx.limits.liquidationBufferAtr)} ATR of ${n(ctx.atr)}): lower leverage or tighten the stop`,
    };
  },
);

export const stopTakeProfitCheck = defineCheck(
  'stop_take_profit_consistency',
  'hard',
  'Long: stop < entry < take-profit; short: take-profit < entry < stop.',
  (order) => {
    const entry = getEntryPrice(order);
    const ok =
      order.direction === 'long'
        ? order.stopLoss < entry && entry < order.takeProfit
        : order.takeProfit < entry && entry < order.stopLoss;
    const rule = order.direction === 'long' ? 'stop < entry < take-profit' : 'take-profit < entry < stop';
    return {
      ok,
      reason: `${order.direction} stop ${n(order.stopLoss)}, entry ${n(entry)}, take-profit ${n(order.takeProfit)}: ${ok ? 'consistent' : `violates ${rule}`}`,
    };
  },
);

export const minConfidenceCheck = defineCheck(
  'min_confidence',
  'hard',
  'Calibrated confidence at least minConfidence, else no trade.',
  (order, ctx) => {
    const ok = order.confidence >= ctx.limits.minConfidence;
    return {
      ok,
      reason: `confidence ${n(order.confidence)} ${ok ? 'meets' : 'below'} minimum ${n(ctx.limits.minConfidence)}${ok ? '' : ': no trade'}`,
    };
  },
);

export const ORDER_CHECKS: readonly RiskCheck[] = [
  stopTakeProfitCheck,
  minConfidenceCheck,
  hardMaxLeverageCheck,
  liquidationInsideStopCheck,
  maxLeverageCheck,
  notionalCapCheck,
  marginUsageCheck,
  riskPerTradeCheck,
  cvarCheck,
  liquidationBufferCheck,
];
