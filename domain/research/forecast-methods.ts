import { type LlmForecast } from '../schemas/llm-outputs';
import { type Provenance } from '../schemas/llm';
import { type Forecast } from '../schemas/research';
import { type ForecastInput } from '../schemas/steps';
import { readVolPerBar } from './feature-reader';
import { FORECAST_METHODS } from './forecast-inventory';
import {
  type Score,
  scoreBreakout,
  scoreFundingCarry,
  scoreHeadlineTone,
  scoreLogisticPrior,
  scoreMeanReversion,
  scoreMomentum,
  scoreTsMomentum,
  standardiseFeatures,
} from './forecast-scores';
import { makeHeuristicProvenance } from './heuristic-provenance';
import { fitLogisticSgd } from './logistic-sgd';
import { clamp, logit, normInv, sigmoid } from './math';
import { findMethod } from '../methods/method-definition';
import { mergeParams, readParam, truncateText } from './method-params';

export { FORECAST_METHODS } from './forecast-inventory';
export { buildForecastPrompt } from './forecast-prompt';

/** A method's answer in logit space plus what explains it. */
interface Logit {
  value: number;
  explain: Score;
}

/** Regime → weights of (momentum, mean reversion, breakout) in the offline llm_narrative blend. */
const BLEND_BY_REGIME: Readonly<Record<string, readonly [number, number, number]>> = {
  trend_up: [0.5, 0.2, 0.3],
  trend_down: [0.5, 0.2, 0.3],
  range: [0.2, 0.6, 0.2],
  high_vol: [0.3, 0.3, 0.4],
  breakout_up: [0.3, 0.1, 0.6],
  breakout_down: [0.3, 0.1, 0.6],
};

function toLogit(score: Score, params: Record<string, number>): Logit {
  return { value: readParam(params, 'gain', 0.35) * score.score, explain: score };
}

/**
 * Online logistic regression. LearningState keeps only {pRaw, outcome} per matured forecast (not the
 * feature vector), so SGD learns a bias a and a gain b on the agent's own logit: p = sigmoid(a + b·s),
 * with s the prior-weighted feature score. Per-feature weights come from params (blended by teaching).
 */
function computeLogistic(input: ForecastInput, params: Record<string, number>): Logit {
  const score = scoreLogisticPrior(standardiseFeatures(input.analysis.features.values), params);
  const history = input.history;
  if (history.length < readParam(params, 'minHistory', 30)) return { value: score.score, explain: score };
  const rows = history.map((h) => ({ x: [1, logit(h.pRaw)], y: h.outcome }));
  const [a = 0, b = 1] = fitLogisticSgd(rows, [0, 1], {
    epochs: readParam(params, 'epochs', 20),
    learningRate: readParam(params, 'learningRate', 0.05),
    l2: readParam(params, 'l2', 0.02),
  });
  // A negative gain would invert the agent's own signal on noise; floor at 0 (no information).
  const gain = Math.max(0, b);
  return {
    value: a + gain * score.score,
    explain: {
      ...score,
      drivers: [...score.drivers, `learned bias ${a.toFixed(2)} gain ${gain.toFixed(2)} on n=${history.length}`],
    },
  };
}

function computeNarrative(input: ForecastInput, params: Record<string, number>): Logit {
  const f = standardiseFeatures(input.analysis.features.values);
  const part = (id: string, score: (p: Record<string, number>) => Score): Logit => {
    const def = findMethod(FORECAST_METHODS, 'R-A', id);
    return toLogit(score(def.params), def.params);
  };
  const mom = part('momentum', (p) => scoreMomentum(f, p));
  const mr = part('mean_reversion', (p) => scoreMeanReversion(f, p));
  const bo = part('breakout', (p) => scoreBreakout(input.analysis.features.values, f, input.analysis.consensus, p));
  const [wm, wr, wb] = BLEND_BY_REGIME[input.analysis.consensus.regime] ?? [1 / 3, 1 / 3, 1 / 3];
  const tone = scoreHeadlineTone(input.analysis.snapshot.headlines);
  const value = wm * mom.value + wr * mr.value + wb * bo.value + readParam(params, 'newsWeight', 0.15) * tone;
  const drivers = [
    `blend ${input.analysis.consensus.regime}: momentum ${wm}, mean_reversion ${wr}, breakout ${wb}`,
    `headline tone ${tone.toFixed(2)}`,
  ];
  return {
    value,
    explain: { score: value, missing: [...new Set([...mom.explain.missing, ...mr.explain.missing])], drivers },
  };
}

function computeLogit(input: ForecastInput, id: string, params: Record<string, number>): Logit {
  const f = standardiseFeatures(input.analysis.features.values);
  switch (id) {
    case 'momentum':
      return toLogit(scoreMomentum(f, params), params);
    case 'mean_reversion':
      return toLogit(scoreMeanReversion(f, params), params);
    case 'breakout':
      return toLogit(scoreBreakout(input.analysis.features.values, f, input.analysis.consensus, params), params);
    case 'tsmom':
      return toLogit(scoreTsMomentum(f, params), params);
    case 'funding_carry':
      return toLogit(scoreFundingCarry(f, params), params);
    case 'logistic':
      return computeLogistic(input, params);
    default:
      return computeNarrative(input, params);
  }
}

/**
 * Expected log return implied by a direction probability: if r ~ N(mu, sigma²·h) then
 * P(r > 0) = Phi(mu / (sigma·sqrt h)), so mu = sigma·sqrt(h)·Phi⁻¹(p).
 */
export function computeExpectedReturn(pUp: number, volPerBar: number, horizonBars: number): number {
  return clamp(volPerBar * Math.sqrt(horizonBars) * normInv(pUp), -1, 1);
}

/** R-A offline: the chosen method's direction probability, expected return and horizon. Pure. */
export function forecastHeuristic(input: ForecastInput): Forecast {
  const def = findMethod(FORECAST_METHODS, 'R-A', input.method.id);
  const params = mergeParams(def.params, input.method.params);
  const { value, explain } = computeLogit(input, def.id, params);
  const pMax = clamp(readParam(params, 'pMax', 0.8), 0.5, 0.99);
  const pUp = clamp(sigmoid(value), 1 - pMax, pMax);
  const horizonBars = Math.round(clamp(readParam(params, 'horizonBars', 6), 1, 180));
  const expectedReturn = computeExpectedReturn(pUp, readVolPerBar(input.analysis.features.values), horizonBars);
  const missing = explain.missing.length > 0 ? ` Missing: ${explain.missing.join(', ')}.` : '';
  const drivers = explain.drivers.length > 0 ? explain.drivers.join('; ') : 'no strong driver';
  return {
    agentId: input.agent.id,
    barCloseMs: input.ctx.barCloseMs,
    method: def.id,
    pUp,
    expectedReturn,
    horizonBars,
    rationale: truncateText(`${def.id}: pUp ${pUp.toFixed(3)} over ${horizonBars} bars from ${drivers}.${missing}`),
    provenance: makeHeuristicProvenance(),
  };
}

/** Maps a validated LLM answer into the R-A contract; the caller passes the LLM call's provenance. */
export function forecastFromLlm(out: LlmForecast, input: ForecastInput, provenance: Provenance): Forecast {
  return {
    agentId: input.agent.id,
    barCloseMs: input.ctx.barCloseMs,
    method: input.method.id,
    pUp: clamp(out.pUp, 0, 1),
    expectedReturn: clamp(out.expectedReturn, -1, 1),
    horizonBars: Math.round(clamp(out.horizonBars, 1, 180)),
    rationale: truncateText(out.rationale),
    provenance,
  };
}
