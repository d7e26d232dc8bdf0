import { z } from 'zod';
import { EpochMsSchema } from './market';
import { ProvenanceSchema } from './llm';

const probability = z.number().min(0).max(1);

/** R-A output. */
export const ForecastSchema = z.object({
  agentId: z.string(),
  barCloseMs: EpochMsSchema,
  method: z.string(),
  /** Probability that close(t + horizon) > close(t). */
  pUp: probability,
  /** Expected log return over the horizon. */
  expectedReturn: z.number().min(-1).max(1),
  horizonBars: z.number().int().min(1).max(180),
  rationale: z.string().max(600),
  provenance: ProvenanceSchema,
});
export type Forecast = z.infer<typeof ForecastSchema>;

/** R-B output. Volatilities are per bar (log-return standard deviation). */
export const UncertaintySchema = z.object({
  agentId: z.string(),
  method: z.string(),
  volPerBar: z.number().nonnegative(),
  annualVol: z.number().nonnegative(),
  /** One-bar 95% value at risk and expected shortfall, as positive fractions of price. */
  var95: z.number().nonnegative(),
  cvar95: z.number().nonnegative(),
  atr: z.number().nonnegative(),
  /** Suggested stop distance in price units. */
  stopDistance: z.number().positive(),
});
export type Uncertainty = z.infer<typeof UncertaintySchema>;

/** R-C output. */
export const CalibrationSchema = z.object({
  agentId: z.string(),
  method: z.string(),
  pRaw: probability,
  pCalibrated: probability,
  /** Matured forecasts the calibrator was fitted on. */
  nHistory: z.number().int().nonnegative(),
});
export type Calibration = z.infer<typeof CalibrationSchema>;

/** R-D output: the research JSON with the eleven keys of docs/architecture.md. */
export const ResearchReportSchema = z.object({
  Meta: z.object({
    agentId: z.string(),
    barCloseMs: EpochMsSchema,
    symbol: z.string(),
    methods: z.record(z.string(), z.string()),
  }),
  Market_State: z.object({
    close: z.number().positive(),
    regime: z.string(),
    trend: z.string(),
    trendStrength: z.number(),
    fundingRate: z.number().nullable(),
  }),
  Forecast: z.object({
    pUp: probability,
    pUpCalibrated: probability,
    expectedReturn: z.number(),
    horizonBars: z.number().int(),
  }),
  Signals: z.array(
    z.object({ name: z.string(), value: z.number().nullable(), vote: z.enum(['long', 'short', 'neutral']) }),
  ),
  Risk: z.object({
    volPerBar: z.number(),
    annualVol: z.number(),
    var95: z.number(),
    cvar95: z.number(),
    atr: z.number(),
    stopDistance: z.number(),
  }),
  Recommendation: z.object({
    action: z.enum(['long', 'short', 'flat']),
    conviction: probability,
    /**
     * Calibrated expected return over the horizon on the recommended side after round-trip costs, as a
     * fraction of price: gross − fees − slippage − funding (docs/sizing.md). T-B trades only above
     * config.sizing.edgeMargin. Absent in histories recorded before it existed.
     */
    netEdge: z.number().optional(),
    /** The parts of netEdge, each a fraction of price: funding is what the side pays (negative = receives). */
    edge: z.object({ gross: z.number(), fees: z.number(), slippage: z.number(), funding: z.number() }).optional(),
  }),
  Scenarios: z.array(z.object({ name: z.string(), probability, priceTarget: z.number() })).min(1),
  Explainability: z.object({ summary: z.string(), drivers: z.array(z.string()) }),
  Constraints: z.object({ maxLeverage: z.number(), minConfidence: probability }),
  Confidence: probability,
  Post_trade_evaluation_keys: z.array(z.string()).min(1),
});
export type ResearchReport = z.infer<typeof ResearchReportSchema>;
