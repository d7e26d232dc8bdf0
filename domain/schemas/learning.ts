import { z } from 'zod';
import { EpochMsSchema } from './market';

/** A forecast waiting for its horizon to pass so the Evaluator can score it. */
export const PendingForecastSchema = z.object({
  agentId: z.string(),
  method: z.string(),
  barCloseMs: EpochMsSchema,
  maturesAtMs: EpochMsSchema,
  closeAtForecast: z.number().positive(),
  pRaw: z.number().min(0).max(1),
  pCalibrated: z.number().min(0).max(1),
});
export type PendingForecast = z.infer<typeof PendingForecastSchema>;

/** A trend call waiting to be checked against the next bars. */
export const PendingTrendCallSchema = z.object({
  agentId: z.string(),
  method: z.string(),
  regime: z.string(),
  barCloseMs: EpochMsSchema,
  maturesAtMs: EpochMsSchema,
  closeAtCall: z.number().positive(),
  direction: z.enum(['up', 'down', 'flat']),
});
export type PendingTrendCall = z.infer<typeof PendingTrendCallSchema>;

/** A matured probability and what happened: the raw material of calibration and Brier scores. */
export const ScoredForecastSchema = z.object({
  p: z.number(),
  pRaw: z.number(),
  outcome: z.union([z.literal(0), z.literal(1)]),
  barCloseMs: EpochMsSchema,
});
export type ScoredForecast = z.infer<typeof ScoredForecastSchema>;

/** A vetoed or approved order whose hypothetical outcome scores the risk manager. */
export const PendingRiskDecisionSchema = z.object({
  riskManagerId: z.string(),
  barCloseMs: EpochMsSchema,
  maturesAtMs: EpochMsSchema,
  vetoed: z.boolean(),
  side: z.enum(['long', 'short']),
  entry: z.number().positive(),
  stopLoss: z.number().positive(),
  takeProfit: z.number().positive(),
  size: z.number().positive(),
});
export type PendingRiskDecision = z.infer<typeof PendingRiskDecisionSchema>;

/** Everything the Evaluator remembers between rounds. Bounded windows keep workflow state small. */
export const LearningStateSchema = z.object({
  pendingForecasts: z.array(PendingForecastSchema),
  pendingTrendCalls: z.array(PendingTrendCallSchema),
  pendingRiskDecisions: z.array(PendingRiskDecisionSchema),
  /** Per researcher: matured forecasts, newest last (bounded). */
  forecastHistory: z.record(z.string(), z.array(ScoredForecastSchema)),
  /** Per analyst: 1 = trend call right, 0 = wrong (bounded). */
  trendHits: z.record(z.string(), z.array(z.number())),
  /** Per trader: R multiples of closed (shadow) trades (bounded). */
  traderR: z.record(z.string(), z.array(z.number())),
  /** Per risk manager: {avoided, vetoedGains} in R. */
  riskScores: z.record(
    z.string(),
    z.object({ lossesAvoided: z.number(), gainsVetoed: z.number(), n: z.number().int() }),
  ),
  /** Regimes seen so far, by count (pruning waits for enough of a regime before judging its methods). */
  regimeCounts: z.record(z.string(), z.number().int()),
});
export type LearningState = z.infer<typeof LearningStateSchema>;

export const EMPTY_LEARNING: LearningState = {
  pendingForecasts: [],
  pendingTrendCalls: [],
  pendingRiskDecisions: [],
  forecastHistory: {},
  trendHits: {},
  traderR: {},
  riskScores: {},
  regimeCounts: {},
};
