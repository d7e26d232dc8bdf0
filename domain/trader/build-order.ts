import { equityOf } from '../exchange/paper-account';
import { liquidationPriceForPosition, signOf } from '../exchange/perp-math';
import { SizingSchema } from '../schemas/config';
import { ZERO_USAGE } from '../schemas/llm';
import type { BuildOrderInput } from '../schemas/steps';
import type { Order, Side, TradeProposal } from '../schemas/trade';
import { clientOrderId } from './client-order-id';

/** Binance USDⓈ-M BTCUSDT filters: MIN_NOTIONAL 100 USDT, LOT_SIZE step 0.001 BTC, PRICE_FILTER tick 0.1. */
export const BTCUSDT_MIN_NOTIONAL = 100;
export const BTCUSDT_SIZE_STEP = 0.001;
export const BTCUSDT_PRICE_TICK = 0.1;

export function roundPrice(price: number): number {
  return Number((Math.round(price / BTCUSDT_PRICE_TICK) * BTCUSDT_PRICE_TICK).toFixed(1));
}

/** Round a size down to the lot step (never up: rounding up would breach the risk budget). */
export function roundSizeDown(size: number): number {
  return Number((Math.floor(size / BTCUSDT_SIZE_STEP + 1e-9) * BTCUSDT_SIZE_STEP).toFixed(3));
}

/** True when the liquidation price lies beyond the stop (on the losing side) by at least `buffer`. */
function isLiquidationBeyondStop(side: Side, liquidation: number, stop: number, buffer: number): boolean {
  if (liquidation <= 0) return true;
  return side === 'long' ? liquidation <= stop - buffer : liquidation >= stop + buffer;
}

/** Why the research's net edge does not pay for a trade, or null when it does (the edge gate, docs/sizing.md). */
export function findEdgeGateReason(netEdge: number | undefined, margin: number): string | null {
  if (netEdge === undefined || !Number.isFinite(netEdge)) return 'research states no net edge after costs';
  if (!(netEdge > margin))
    return `net edge ${(netEdge * 100).toFixed(3)}% after costs and funding does not exceed the margin ${(margin * 100).toFixed(3)}%`;
  return null;
}

/**
 * The evidence-sized fraction of the risk-budget size (docs/sizing.md), before rounding:
 * kelly = kellyFraction · netEdge / (volPerBar² · horizon) as notional over equity (Kelly 1956; the
 * continuous form f* = μ/σ² of Thorp 2006), and skill = minSkillSize + (1 − minSkillSize) · skill factor
 * with the skill gate on (1 with it off). Returns the notional cap from Kelly and the skill multiplier.
 */
export function evidenceSizing(
  netEdge: number,
  volPerBar: number,
  horizonBars: number,
  kellyFraction: number,
  skill: { gate: boolean; minSize: number; factor: number },
): { kellyNotionalToEquity: number; skillMultiplier: number } {
  const variance = volPerBar * volPerBar * Math.max(1, horizonBars);
  const kellyNotionalToEquity =
    variance > 0 ? (kellyFraction * Math.max(0, netEdge)) / variance : Number.POSITIVE_INFINITY;
  const skillMultiplier = skill.gate ? skill.minSize + (1 - skill.minSize) * Math.min(1, Math.max(0, skill.factor)) : 1;
  return { kellyNotionalToEquity, skillMultiplier };
}

/**
 * T-B: turn a research report and an execution style into an order, or a reasoned stand-aside.
 * Entries pass the edge gate first: the research's net edge must exceed `sizing.edgeMargin`.
 * Size comes from the risk budget (maxRiskPerTrade × equity over the stop distance), capped by the
 * notional limit and by the fractional Kelly notional of the net edge, then scaled by the deciding
 * agents' demonstrated skill (evidenceSizing); leverage is the lowest whole number in the style's band that keeps margin usage
 * under the limit and the liquidation price beyond the stop by the buffer. Risk-manager feedback
 * from earlier attempts lowers the leverage cap, widens the liquidation buffer or halves the size.
 */
export function buildOrder(input: BuildOrderInput): TradeProposal {
  const { ctx, agent, attempt, research, style, account, limits, feedback } = input;
  const standAside = (reason: string): TradeProposal => ({ kind: 'stand_aside', traderId: agent.id, reason });
  if (style.standAside) return standAside(`execution style stands aside: ${style.rationale}`);
  const action = research.Recommendation.action;
  if (action === 'flat') return standAside('research recommends flat');
  const side: Side = action;
  // One-way mode: the research agreeing with the open position means hold it, not stack a second entry.
  if (account.position?.side === side) return standAside(`already ${side}: holding the open position`);
  if (account.openOrders.some((o) => o.direction === side))
    return standAside(`a ${side} entry order is already resting`);
  const sizing = input.sizing ?? SizingSchema.parse({});
  const netEdge = research.Recommendation.netEdge;
  const gate = findEdgeGateReason(netEdge, sizing.edgeMargin);
  if (gate !== null || netEdge === undefined) return standAside(gate ?? 'research states no net edge after costs');
  const skillFactor = input.skill?.factor ?? 1;
  if (sizing.skillGate && sizing.minSkillSize === 0 && skillFactor === 0)
    return standAside(`no demonstrated skill: ${input.skill?.note ?? 'no record'}`);
  const evidence = evidenceSizing(
    netEdge,
    research.Risk.volPerBar,
    research.Forecast.horizonBars,
    sizing.kellyFraction,
    { gate: sizing.skillGate, minSize: sizing.minSkillSize, factor: skillFactor },
  );
  const s = signOf(side);
  const atr = research.Risk.atr;
  if (!(atr > 0)) return standAside('no ATR to place the stop');
  const close = research.Market_State.close;
  const equity = equityOf(account, close);
  if (!(equity > 0)) return standAside('no equity');

  const styleCap = Math.max(
    1,
    Math.floor(Math.min(style.leverageMax, limits.maxLeverage, limits.hardMaxLeverage, 125)),
  );
  const tuning = readOrderFeedback(feedback, styleCap);
  const entry = roundPrice(style.orderType === 'limit' ? close - s * style.limitOffsetAtr * atr : close);
  const stopLoss = roundPrice(entry - s * style.stopLossAtr * atr);
  const takeProfit = roundPrice(entry + s * style.takeProfitAtr * atr);
  if (entry <= 0 || stopLoss <= 0 || takeProfit <= 0)
    return standAside('stop or take-profit would be at a non-positive price');
  const stopDistance = Math.abs(entry - stopLoss);

  const notionalCap = Math.min(limits.maxNotionalToEquity, evidence.kellyNotionalToEquity);
  let size =
    Math.min(
      ((limits.maxRiskPerTrade * equity) / stopDistance) * evidence.skillMultiplier,
      (notionalCap * equity * evidence.skillMultiplier) / entry,
      tuning.sizeCap,
    ) * tuning.sizeFactor;
  const upper = Math.max(1, Math.floor(Math.min(styleCap, tuning.leverageCap)));
  const lower = Math.min(Math.max(1, Math.ceil(style.leverageMin)), upper);
  const maxMargin = limits.maxMarginUsage * equity;
  let leverage = Math.min(upper, Math.max(lower, Math.ceil((size * entry) / maxMargin - 1e-12)));
  // Lower leverage moves the liquidation away from the entry; size then shrinks to keep the margin cap.
  const buffer = (limits.liquidationBufferAtr + tuning.extraLiquidationBufferAtr) * atr;
  const liquidationAt = (lev: number): number => liquidationPriceForPosition(side, size, entry, (size * entry) / lev);
  while (leverage > 1 && !isLiquidationBeyondStop(side, liquidationAt(leverage), stopLoss, buffer)) leverage -= 1;
  size = roundSizeDown(Math.min(size, (maxMargin * leverage) / entry));
  if (size * entry < BTCUSDT_MIN_NOTIONAL) {
    return standAside(`notional ${(size * entry).toFixed(2)} USDT below Binance's minimum ${BTCUSDT_MIN_NOTIONAL}`);
  }
  const liquidationPrice = liquidationAt(leverage);
  if (!isLiquidationBeyondStop(side, liquidationPrice, stopLoss, 0))
    return standAside('liquidation would come before the stop even at 1x');

  const order: Order = {
    orderId: clientOrderId(ctx.iterationId, agent.id, attempt),
    traderId: agent.id,
    symbol: ctx.symbol,
    createdAtMs: ctx.barCloseMs,
    currentPrice: close,
    orderType: style.orderType,
    limitPrice: style.orderType === 'limit' ? entry : null,
    size,
    direction: side,
    takeProfit,
    stopLoss,
    closedPrice: null,
    leverage,
    liquidationPrice: roundPrice(liquidationPrice),
    expiresAfterBars: style.orderType === 'limit' ? 3 : 1,
    horizonBars: style.horizonBars,
    status: 'created',
    confidence: research.Confidence,
  };
  const rationale =
    `${side} ${size} BTC ${style.orderType} at ${entry}: stop ${stopLoss} (${style.stopLossAtr} ATR), take-profit ${takeProfit} ` +
    `(${style.takeProfitAtr} ATR), ${leverage}x, risk ${(size * stopDistance).toFixed(2)} USDT of ${equity.toFixed(2)} equity; ` +
    `net edge ${(netEdge * 100).toFixed(3)}% > margin ${(sizing.edgeMargin * 100).toFixed(3)}%, Kelly cap ${evidence.kellyNotionalToEquity.toFixed(2)}x equity, ` +
    `skill ×${evidence.skillMultiplier.toFixed(2)}${input.skill ? ` (${input.skill.note})` : ''}` +
    (feedback.length > 0 ? `; adjusted for: ${feedback.join('; ')}` : '');
  return {
    kind: 'order',
    order,
    rationale,
    provenance: { source: 'heuristic', hash: null, model: null, warning: null, usage: ZERO_USAGE },
  };
}

// ---- risk-manager feedback ----

/** How risk-manager reasons from earlier attempts adjust the next order. */
interface OrderTuning {
  /** Upper bound on leverage after the feedback. */
  leverageCap: number;
  /** Extra ATRs between the stop and the liquidation price. */
  extraLiquidationBufferAtr: number;
  /** Multiplier on the risk-based size. */
  sizeFactor: number;
  /** Absolute size cap in BTC named by a reason (Infinity = none). */
  sizeCap: number;
}

const LEVERAGE_ABOVE_MAX =
  /leverage\s+([\d.]+)\s+(?:above|exceeds|over)\s+(?:the\s+)?(?:hard\s+)?max(?:imum)?\s+([\d.]+)/i;
const SIZE_AT_MOST = /reduce size to at most\s+([\d.]+)\s*BTC/i;

/**
 * Read soft-fail reasons (domain/risk phrases them "what to change, with the numbers"), first match
 * wins: "leverage 8 above max 5" caps leverage at 5; "reduce size to at most 0.4 BTC" caps the size;
 * a liquidation complaint ("liquidation price … inside stop", "only … beyond stop") adds one ATR of
 * buffer, which lowers the leverage; margin, notional, risk or CVaR complaints without a number halve
 * the size; any other leverage complaint halves the leverage cap. Reasons accumulate over attempts.
 */
export function readOrderFeedback(feedback: readonly string[], baseLeverageCap: number): OrderTuning {
  const tuning: OrderTuning = {
    leverageCap: baseLeverageCap,
    extraLiquidationBufferAtr: 0,
    sizeFactor: 1,
    sizeCap: Number.POSITIVE_INFINITY,
  };
  for (const reason of feedback) {
    const capped = LEVERAGE_ABOVE_MAX.exec(reason);
    const sized = SIZE_AT_MOST.exec(reason);
    if (capped) {
      tuning.leverageCap = Math.min(tuning.leverageCap, Number(capped[2]), Number(capped[1]) - 1);
    } else if (sized) {
      tuning.sizeCap = Math.min(tuning.sizeCap, Number(sized[1]));
    } else if (/liquidation/i.test(reason)) {
      tuning.extraLiquidationBufferAtr += 1;
    } else if (/margin|notional|risk|cvar|size|exposure/i.test(reason)) {
      tuning.sizeFactor *= 0.5;
    } else if (/leverage/i.test(reason)) {
      tuning.leverageCap = Math.floor(tuning.leverageCap / 2);
    }
  }
  tuning.leverageCap = Math.max(1, tuning.leverageCap);
  return tuning;
}
