import { ExchangeCostsSchema } from '../schemas/config';
import { type ResearchReport } from '../schemas/research';
import { type PackageResearchInput } from '../schemas/steps';
import { computeExpectedReturn } from './forecast-methods';
import { clamp } from './math';
import { computeEdgeParts, netEdgeOf } from './net-edge';
import { truncateText } from './method-params';
import { buildScenarios } from './scenarios';
import { buildSignals } from './signals';

export { combineResearch } from './combine-research';

/** Metrics the Evaluator computes after the trade; they travel with the research so it can be scored. */
export const POST_TRADE_EVALUATION_KEYS = [
  'brier',
  'log_loss',
  'hit_rate',
  'realized_return',
  'r_multiple',
  'max_adverse_excursion',
];

/**
 * R-D: packages the researcher's steps into the eleven-key research JSON. The recommendation states the
 * net edge: the expected return implied by the calibrated probability on its side, after round-trip fees
 * and slippage at the session's costs and the funding paid over the horizon at the current rate
 * (net-edge.ts). It takes that side when the net edge is positive, otherwise flat; T-B asks for more
 * (config.sizing.edgeMargin). Pure.
 */
export function packageResearch(input: PackageResearchInput): ResearchReport {
  const { analysis, forecast, uncertainty, calibration, limits } = input;
  const close = analysis.snapshot.bar.close;
  const fundingRate = analysis.snapshot.fundingRate ?? analysis.features.values.funding_rate ?? null;
  const pCal = calibration.pCalibrated;
  const h = forecast.horizonBars;
  // Edge implied by the calibrated probability and R-B's vol (same Gaussian map as R-A uses).
  const mu = computeExpectedReturn(pCal, uncertainty.volPerBar, h);
  const side = pCal >= 0.5 ? 'long' : 'short';
  const edge = computeEdgeParts(Math.abs(mu), side, fundingRate, h, input.costs ?? ExchangeCostsSchema.parse({}));
  const netEdge = netEdgeOf(edge);
  const action = netEdge > 0 && pCal !== 0.5 ? side : 'flat';
  const confidence = Math.max(pCal, 1 - pCal);
  const signals = buildSignals(analysis.features.values, analysis.trends);
  const agreeing = signals.filter((s) => s.vote === side).map((s) => s.name);
  const against = signals.filter((s) => s.vote !== 'neutral' && s.vote !== side).map((s) => s.name);
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  const summary =
    `${action}: calibrated pUp ${pCal.toFixed(3)} (raw ${forecast.pUp.toFixed(3)}, ${calibration.method} n=${calibration.nHistory}); ` +
    `edge ${pct(edge.gross)} over ${h} bars − fees ${pct(edge.fees)} − slippage ${pct(edge.slippage)} − funding ${pct(edge.funding)} = net ${pct(netEdge)}; ` +
    `regime ${analysis.consensus.regime}; ${agreeing.length} signals for ${side}, ${against.length} against.`;
  return {
    Meta: {
      agentId: input.agent.id,
      barCloseMs: input.ctx.barCloseMs,
      symbol: input.ctx.symbol,
      methods: {
        features: analysis.features.method,
        trend: analysis.consensus.method,
        forecast: forecast.method,
        uncertainty: uncertainty.method,
        calibration: calibration.method,
      },
    },
    Market_State: {
      close,
      regime: analysis.consensus.regime,
      trend: analysis.consensus.direction,
      trendStrength: analysis.consensus.strength,
      fundingRate,
    },
    Forecast: { pUp: forecast.pUp, pUpCalibrated: pCal, expectedReturn: forecast.expectedReturn, horizonBars: h },
    Signals: signals,
    Risk: {
      volPerBar: uncertainty.volPerBar,
      annualVol: uncertainty.annualVol,
      var95: uncertainty.var95,
      cvar95: uncertainty.cvar95,
      atr: uncertainty.atr,
      stopDistance: uncertainty.stopDistance,
    },
    Recommendation: { action, conviction: clamp(confidence, 0, 1), netEdge, edge },
    Scenarios: buildScenarios(close, mu, uncertainty.volPerBar, h),
    Explainability: {
      summary: truncateText(summary),
      drivers: [truncateText(forecast.rationale, 300), ...agreeing.slice(0, 6).map((n) => `${n} supports ${side}`)],
    },
    Constraints: { maxLeverage: limits.maxLeverage, minConfidence: limits.minConfidence },
    Confidence: clamp(confidence, 0, 1),
    Post_trade_evaluation_keys: [...POST_TRADE_EVALUATION_KEYS],
  };
}
