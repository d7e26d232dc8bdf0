import type { Populations } from '../../../domain/schemas/agents';
import type { ClosedTrade } from '../../../domain/schemas/account';
import type { LearningState } from '../../../domain/schemas/learning';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import type { EvaluateInput } from '../../../domain/schemas/steps';
import type { Order } from '../../../domain/schemas/trade';
import { BAR_MS, makeCtx } from './fixtures';

const PROVENANCE = { source: 'heuristic' as const, hash: null, model: null, warning: null, usage: ZERO_USAGE };

export function makeForecastPair(
  agentId: string,
  barCloseMs: number,
  pRaw: number,
  pCalibrated: number,
): EvaluateInput['forecasts'][number] {
  return {
    forecast: {
      agentId,
      barCloseMs,
      method: 'logistic',
      pUp: pRaw,
      expectedReturn: 0,
      horizonBars: 3,
      rationale: '',
      provenance: PROVENANCE,
    },
    calibration: { agentId, method: 'platt', pRaw, pCalibrated, nHistory: 0 },
  };
}

export function makeTrend(
  agentId: string,
  barCloseMs: number,
  direction: 'up' | 'down' | 'flat',
  method = 'ema-cross',
): EvaluateInput['trends'][number] {
  return { agentId, barCloseMs, method, direction, strength: 0.5, regime: 'trend_up', evidence: {} };
}

export function makeOrder(patch: Partial<Order> = {}): Order {
  return {
    orderId: 'o-1',
    traderId: 'trader-1',
    symbol: 'BTC/USDT:USDT',
    createdAtMs: 0,
    currentPrice: 100,
    orderType: 'market',
    limitPrice: null,
    size: 1,
    direction: 'long',
    takeProfit: 104,
    stopLoss: 98,
    closedPrice: null,
    leverage: 3,
    liquidationPrice: 70,
    expiresAfterBars: 1,
    horizonBars: 3,
    status: 'created',
    confidence: 0.6,
    ...patch,
  };
}

export function makeTrade(patch: Partial<ClosedTrade> = {}): ClosedTrade {
  return {
    tradeId: 't-1',
    clientOrderId: 'c-1',
    traderId: 'trader-1',
    side: 'long',
    entryTimeMs: 0,
    entryPrice: 100,
    exitTimeMs: 1,
    exitPrice: 102,
    size: 1,
    leverage: 3,
    liquidationPrice: 70,
    exitReason: 'take_profit',
    realizedPnl: 2,
    fees: 0.1,
    funding: 0.1,
    riskAmount: 1,
    ...patch,
  };
}

export function makeInput(
  round: number,
  close: number,
  populations: Populations,
  learning: LearningState,
  patch: Partial<EvaluateInput> = {},
): EvaluateInput {
  return {
    ctx: makeCtx(round),
    close,
    populations,
    learning,
    forecasts: [],
    trends: [],
    closedTrades: [],
    riskDecision: null,
    regime: 'range',
    horizonBars: 3,
    barMs: BAR_MS,
    ...patch,
  };
}
