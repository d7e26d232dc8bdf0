import { AccountSchema, type Account, type Position } from '../../../domain/schemas/account';
import { BAR_MS, RiskLimitsSchema } from '../../../domain/schemas/config';
import type { Candle, MarketSnapshot } from '../../../domain/schemas/market';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import type { ResearchReport } from '../../../domain/schemas/research';
import { AnalyseRiskInputSchema, type AnalyseRiskInput } from '../../../domain/schemas/steps';
import type { ExecutionStyle, Order } from '../../../domain/schemas/trade';

/**
 * Baseline: equity 10,000, BTC at 60,000, ATR 1,200. A 0.1 BTC long at 3× (notional 6,000,
 * margin 2,000 = 20%), stop 58,800 (risk 120 = 1.2%), take-profit 62,400, liquidation 40,161.
 * Every check passes on it; each test breaks exactly one thing.
 */
export const BAR_CLOSE_MS = Date.UTC(2024, 0, 10, 12);
export const PRICE = 60_000;
export const ATR = 1_200;
export const EQUITY = 10_000;

const provenance = { source: 'heuristic' as const, hash: null, model: null, warning: null, usage: ZERO_USAGE };

export function makeOrder(over: Partial<Order> = {}): Order {
  return {
    orderId: 'iter-1-trader-a-0',
    traderId: 'trader-a',
    symbol: 'BTC/USDT:USDT',
    createdAtMs: BAR_CLOSE_MS,
    currentPrice: PRICE,
    orderType: 'market',
    limitPrice: null,
    size: 0.1,
    direction: 'long',
    takeProfit: 62_400,
    stopLoss: 58_800,
    closedPrice: null,
    leverage: 3,
    liquidationPrice: 40_161,
    expiresAfterBars: 1,
    horizonBars: 6,
    status: 'created',
    confidence: 0.6,
    ...over,
  };
}

export function makeStyle(over: Partial<ExecutionStyle> = {}): ExecutionStyle {
  return {
    agentId: 'trader-a',
    method: 'atr_bracket',
    orderType: 'market',
    limitOffsetAtr: 0,
    takeProfitAtr: 2,
    stopLossAtr: 1,
    leverageMin: 2,
    leverageMax: 4,
    horizonBars: 6,
    standAside: false,
    rationale: 'test',
    provenance,
    ...over,
  };
}

export function makeResearch(): ResearchReport {
  return {
    Meta: { agentId: 'researcher-a', barCloseMs: BAR_CLOSE_MS, symbol: 'BTC/USDT:USDT', methods: {} },
    Market_State: { close: PRICE, regime: 'trend', trend: 'up', trendStrength: 0.5, fundingRate: 0.0001 },
    Forecast: { pUp: 0.6, pUpCalibrated: 0.6, expectedReturn: 0.01, horizonBars: 6 },
    Signals: [],
    Risk: { volPerBar: 0.01, annualVol: 0.6, var95: 0.02, cvar95: 0.025, atr: ATR, stopDistance: ATR },
    Recommendation: { action: 'long', conviction: 0.6 },
    Scenarios: [{ name: 'base', probability: 1, priceTarget: 61_000 }],
    Explainability: { summary: 'test', drivers: [] },
    Constraints: { maxLeverage: 5, minConfidence: 0.53 },
    Confidence: 0.6,
    Post_trade_evaluation_keys: ['pnl'],
  };
}

export function makePosition(over: Partial<Position> = {}): Position {
  return {
    orderId: 'old',
    traderId: 'trader-a',
    side: 'long',
    size: 0.05,
    entryPrice: 59_000,
    leverage: 3,
    margin: 983,
    liquidationPrice: 39_500,
    takeProfit: 63_000,
    stopLoss: 57_000,
    openedAtMs: BAR_CLOSE_MS - BAR_MS,
    exitByMs: null,
    fees: 1,
    funding: 0,
    ...over,
  };
}

export function makeAccount(over: Partial<Account> = {}): Account {
  return AccountSchema.parse({
    wallet: EQUITY,
    position: null,
    openOrders: [],
    realizedPnl: 0,
    fees: 0,
    funding: 0,
    liquidations: 0,
    lastFundingMs: 0,
    lastBarOpenMs: BAR_CLOSE_MS - BAR_MS,
    markPrice: PRICE,
    tradeCount: 0,
    ...over,
  });
}

export function makeInput(over: Partial<AnalyseRiskInput> = {}): AnalyseRiskInput {
  return AnalyseRiskInputSchema.parse({
    ctx: { sessionId: 's1', iterationId: 'iter-1', barCloseMs: BAR_CLOSE_MS, round: 1, symbol: 'BTC/USDT:USDT' },
    agent: { id: 'risk-a', role: 'risk_manager', model: null, inventory: {}, score: 0, n: 0, notes: [] },
    method: { id: 'standard', params: {} },
    order: makeOrder(),
    research: makeResearch(),
    style: makeStyle(),
    account: makeAccount(),
    risk: {
      equity: EQUITY,
      peakEquity: EQUITY,
      dayStartEquity: EQUITY,
      consecutiveLosses: 0,
      cooldownUntilMs: 0,
      tradingState: 'active',
    },
    limits: RiskLimitsSchema.parse({}),
    snapshotRef: 'snap-1',
    ...over,
  });
}

/**
 * 100 one-bar returns: 95 of ±1% / ±0.5% and five of −3%, so the worst 5% are exactly the five
 * −3% bars: a long's CVaR95 is 3% of notional, a short's is 1% (its worst bars are the +1% ones).
 */
export const RETURNS: readonly number[] = Array.from({ length: 100 }, (_, i) =>
  i % 20 === 7 ? -0.03 : ([0.01, -0.01, 0.005, -0.005][i % 4] ?? 0),
);

export function makeSnapshot(returns: readonly number[] = RETURNS): MarketSnapshot {
  const candles: Candle[] = [];
  let close = PRICE;
  const closes = [close];
  for (const r of [...returns].reverse()) closes.unshift((close /= 1 + r));
  closes.forEach((c, i) => {
    candles.push({
      t: BAR_CLOSE_MS - (closes.length - i) * BAR_MS,
      open: c,
      high: c * 1.001,
      low: c * 0.999,
      close: c,
      volume: 1,
    });
  });
  return {
    barCloseMs: BAR_CLOSE_MS,
    candles,
    candles1d: [],
    funding: [],
    openInterest: [],
    news: [],
    orderBook: null,
    issues: [],
  };
}
