import type { Agent, MethodStep, Populations } from '../schemas/agents';
import type { LearningState, PendingForecast, PendingRiskDecision, PendingTrendCall } from '../schemas/learning';
import type { EvaluateInput, EvaluateResult } from '../schemas/steps';
import { ROLES, clamp } from './catalog';
import {
  type MethodCredit,
  applyCredits,
  decodeMethods,
  encodeMethods,
  findLatestMethod,
  findMethodUsedIn,
} from './method-credit';
import { DEFAULT_RANK_WINDOW, RESEARCHER_FORECAST_WINDOW, computeRoleMetric } from './rank';
import { registerRiskDecision, resolveRiskOutcome } from './risk-outcome';

export { computeBrier, computeLogLoss, reliabilityTable, traderStats } from './scoring';

export interface EvaluateOptions {
  /** Outcomes behind each agent's headline score. @default 50 */
  window?: number;
  /** A flat trend call is right when |close / closeAtCall − 1| is below this. @default 0.005 */
  flatBand?: number;
  /**
   * T-A method per closed trade, keyed by clientOrderId. ClosedTrade does not record it; without an entry the
   * trader's most recently used T-A method is credited. @default {}
   */
  tradeMethods?: Record<string, string>;
  /** Bound on trendHits and traderR per agent, and on forecastHistory unless the researcher's look-back is longer (newest kept). @default 200 */
  historyLimit?: number;
}

function appendBounded<T>(record: Record<string, T[]>, key: string, value: T, limit: number): void {
  const next = [...(record[key] ?? []), value];
  record[key] = next.length > limit ? next.slice(next.length - limit) : next;
}

/** Reward of one matured forecast for one method: R-A on its raw Brier, R-C on how much calibration improved it. */
function rewardForecast(step: MethodStep, f: PendingForecast, outcome: 0 | 1): number {
  const rawLoss = (f.pRaw - outcome) ** 2;
  if (step === 'R-C') return clamp(0.5 + rawLoss - (f.pCalibrated - outcome) ** 2, 0, 1);
  return 1 - rawLoss;
}

function isTrendCallRight(call: PendingTrendCall, close: number, flatBand: number): boolean {
  const move = close / call.closeAtCall - 1;
  if (call.direction === 'flat') return Math.abs(move) < flatBand;
  return call.direction === 'up' ? move > 0 : move < 0;
}

/** A risk decision was right when it vetoed a loser or approved a winner; 0 R is a coin flip. */
function rewardRiskDecision(p: PendingRiskDecision, r: number): number {
  if (r === 0) return 0.5;
  return (p.vetoed ? r < 0 : r > 0) ? 1 : 0;
}

/** Writes every agent's headline score/n from its role metric over the window. */
function scoreAgents(populations: Populations, learning: LearningState, window: number): Populations {
  const next = { ...populations };
  for (const role of ROLES) {
    next[role] = populations[role].map((a) => {
      const { metric, n } = computeRoleMetric(learning, role, a.id, window);
      return { ...a, score: metric, n };
    });
  }
  return next;
}

/**
 * Step E, the Evaluator: matures pending forecasts, trend calls and risk decisions whose horizon has passed
 * at this bar close, registers this round's as pending, folds closed trades into R multiples, credits the
 * methods behind each outcome (running-mean MethodStats), and rescores every agent on its role metric.
 */
export function evaluateRound(input: EvaluateInput, opts: EvaluateOptions = {}): EvaluateResult {
  const { window = DEFAULT_RANK_WINDOW, flatBand = 0.005, tradeMethods = {}, historyLimit = 200 } = opts;
  const { ctx, close, learning } = input;
  const now = ctx.barCloseMs;
  const maturesAtMs = now + input.horizonBars * input.barMs;
  const agents = new Map<string, Agent>(
    ROLES.flatMap((role) => input.populations[role].map((a) => [a.id, a] as const)),
  );
  const credits: MethodCredit[] = [];

  const forecastHistory = { ...learning.forecastHistory };
  const pendingForecasts: PendingForecast[] = [];
  for (const f of learning.pendingForecasts) {
    if (f.maturesAtMs > now) {
      pendingForecasts.push(f);
      continue;
    }
    const outcome = close > f.closeAtForecast ? 1 : 0;
    appendBounded(
      forecastHistory,
      f.agentId,
      { p: f.pCalibrated, pRaw: f.pRaw, outcome, barCloseMs: f.barCloseMs },
      Math.max(historyLimit, RESEARCHER_FORECAST_WINDOW),
    );
    for (const [step, methodId] of decodeMethods(f.method, 'R-A'))
      credits.push({ agentId: f.agentId, step, methodId, reward: rewardForecast(step, f, outcome) });
  }
  for (const { forecast, calibration } of input.forecasts) {
    pendingForecasts.push({
      agentId: forecast.agentId,
      method: encodeMethods([
        ['R-A', forecast.method],
        ['R-C', calibration.method],
      ]),
      barCloseMs: now,
      maturesAtMs,
      closeAtForecast: close,
      pRaw: calibration.pRaw,
      pCalibrated: calibration.pCalibrated,
    });
  }

  const trendHits = { ...learning.trendHits };
  const pendingTrendCalls: PendingTrendCall[] = [];
  for (const call of learning.pendingTrendCalls) {
    if (call.maturesAtMs > now) {
      pendingTrendCalls.push(call);
      continue;
    }
    const hit = isTrendCallRight(call, close, flatBand) ? 1 : 0;
    appendBounded(trendHits, call.agentId, hit, historyLimit);
    for (const [step, methodId] of decodeMethods(call.method, 'A-C'))
      credits.push({ agentId: call.agentId, step, methodId, reward: hit });
  }
  for (const call of input.trends) {
    const features = findMethodUsedIn(agents.get(call.agentId), 'A-B', ctx.round);
    pendingTrendCalls.push({
      agentId: call.agentId,
      method: encodeMethods([['A-C', call.method], ...(features === null ? [] : [['A-B', features] as const])]),
      regime: call.regime,
      barCloseMs: now,
      maturesAtMs,
      closeAtCall: close,
      direction: call.direction,
    });
  }

  const traderR = { ...learning.traderR };
  for (const t of input.closedTrades) {
    if (!(t.riskAmount > 0)) continue; // no defined initial risk, no R multiple
    const r = (t.realizedPnl - t.fees + t.funding) / t.riskAmount;
    appendBounded(traderR, t.traderId, r, historyLimit);
    const methodId = tradeMethods[t.clientOrderId] ?? findLatestMethod(agents.get(t.traderId), 'T-A');
    // Logistic map of R to 0..1: 0 R → 0.5, +2 R → 0.88, −1 R → 0.27.
    if (methodId !== null) credits.push({ agentId: t.traderId, step: 'T-A', methodId, reward: 1 / (1 + Math.exp(-r)) });
  }

  const riskScores = { ...learning.riskScores };
  const pendingRiskDecisions: PendingRiskDecision[] = [];
  for (const p of learning.pendingRiskDecisions) {
    const r = resolveRiskOutcome(p, close, now);
    if (r === null) {
      pendingRiskDecisions.push(p);
      continue;
    }
    const s = riskScores[p.riskManagerId] ?? { lossesAvoided: 0, gainsVetoed: 0, n: 0 };
    riskScores[p.riskManagerId] = {
      lossesAvoided: s.lossesAvoided + (p.vetoed && r < 0 ? -r : 0),
      gainsVetoed: s.gainsVetoed + (p.vetoed && r > 0 ? r : 0),
      n: s.n + 1,
    };
    const methodId = findLatestMethod(agents.get(p.riskManagerId), 'M-A');
    if (methodId !== null)
      credits.push({ agentId: p.riskManagerId, step: 'M-A', methodId, reward: rewardRiskDecision(p, r) });
  }
  if (input.riskDecision) pendingRiskDecisions.push(registerRiskDecision(input.riskDecision, now, input.barMs));

  const nextLearning: LearningState = {
    pendingForecasts,
    pendingTrendCalls,
    pendingRiskDecisions,
    forecastHistory,
    trendHits,
    traderR,
    riskScores,
    regimeCounts: { ...learning.regimeCounts, [input.regime]: (learning.regimeCounts[input.regime] ?? 0) + 1 },
  };
  return {
    populations: scoreAgents(applyCredits(input.populations, credits), nextLearning, window),
    learning: nextLearning,
  };
}
