import { ClassifiedError, FailureType } from '../domain/failures';
import { LLM_FORECAST_METHODS } from '../domain/orchestration/method-catalog';
import { calibrate } from '../domain/research/calibration-methods';
import { forecastFromLlm, forecastHeuristic } from '../domain/research/forecast-methods';
import { buildForecastPrompt } from '../domain/research/forecast-prompt';
import { packageResearch } from '../domain/research/package-research';
import { quantifyUncertainty } from '../domain/research/uncertainty-methods';
import { LlmForecastAnswerSchema } from '../domain/llm/answer-schemas';
import type { LlmForecast } from '../domain/schemas/llm-outputs';
import {
  CalibrationSchema,
  ForecastSchema,
  ResearchReportSchema,
  UncertaintySchema,
  type Calibration,
  type Forecast,
  type ResearchReport,
  type Uncertainty,
} from '../domain/schemas/research';
import {
  CalibrateRequestSchema,
  ForecastRequestSchema,
  PackageResearchInputSchema,
  UncertaintyInputSchema,
  type CalibrateInput,
  type CalibrateRequest,
  type ForecastInput,
  type ForecastRequest,
  type PackageResearchInput,
  type UncertaintyInput,
} from '../domain/schemas/steps';
import { ownForecastHistory } from '../domain/orchestration/fund-view';
import { loadSnapshot } from './analyst';
import { llmOf, type ActivityDeps } from './deps';
import { loadLearning } from './learning';
import { inputOf } from './validate';

/** R-A: the researcher's forecasting method; the narrative method reasons through the shared LLM. */
export async function forecast(deps: ActivityDeps, raw: ForecastRequest): Promise<Forecast> {
  const input = await withOwnHistory(deps, inputOf(deps, ForecastRequestSchema, raw));
  const heuristic = forecastHeuristic(input);
  const llm = LLM_FORECAST_METHODS.has(input.method.id) && !input.ctx.heuristicOnly ? llmOf(deps, input.ctx) : null;
  if (llm === null || llm.provider === 'heuristic') {
    return ForecastSchema.parse(input.ctx.heuristicOnly ? markFallback(heuristic) : heuristic);
  }
  const prompt = buildForecastPrompt(input);
  const reasoned = await llm.reason<LlmForecast>({
    step: 'R-A',
    sessionId: input.ctx.sessionId,
    iterationId: input.ctx.iterationId,
    agentId: input.agent.id,
    model: input.agent.model,
    schema: LlmForecastAnswerSchema,
    ...prompt,
    heuristic: () => ({
      pUp: heuristic.pUp,
      expectedReturn: heuristic.expectedReturn,
      horizonBars: heuristic.horizonBars,
      rationale: heuristic.rationale,
    }),
  });
  return ForecastSchema.parse(forecastFromLlm(reasoned.value, input, reasoned.provenance));
}

/**
 * R-A for the quant methods, which never ask the LLM: the same step, scheduled as a pure activity on
 * the orchestration queue (a local activity in fast backtests) instead of an LLM-queue round trip.
 */
export async function forecastQuant(deps: ActivityDeps, raw: ForecastRequest): Promise<Forecast> {
  const method = (raw as { method?: { id?: string } }).method?.id ?? '';
  if (LLM_FORECAST_METHODS.has(method)) {
    throw new ClassifiedError(
      FailureType.ConfigInvalid,
      `R-A method ${method} asks the LLM: schedule R-A.forecast on the LLM queue, not R-A.forecastQuant`,
      false,
    );
  }
  return forecast(deps, raw);
}

function markFallback<T extends { provenance: Forecast['provenance'] }>(out: T): T {
  return {
    ...out,
    provenance: { ...out.provenance, source: 'fallback', warning: 'LLM failed for good; offline reasoner answered' },
  };
}

/** R-B: volatility, VaR/CVaR, ATR and the stop distance from the snapshot. */
export async function quantifyUncertaintyStep(deps: ActivityDeps, raw: UncertaintyInput): Promise<Uncertainty> {
  const input = inputOf(deps, UncertaintyInputSchema, raw);
  return UncertaintySchema.parse(quantifyUncertainty(await loadSnapshot(deps, input.snapshotRef), input));
}

/** R-C: calibrate the raw probability on the researcher's own track record. */
export async function calibrateStep(deps: ActivityDeps, raw: CalibrateRequest): Promise<Calibration> {
  return CalibrationSchema.parse(calibrate(await withOwnHistory(deps, inputOf(deps, CalibrateRequestSchema, raw))));
}

/** R-A and R-C read the researcher's own matured forecasts from the stored learning state (by `learningRef`). */
async function withOwnHistory<R extends { learningRef: string; agent: { id: string } }>(
  deps: ActivityDeps,
  request: R,
): Promise<Omit<R, 'learningRef'> & Pick<ForecastInput & CalibrateInput, 'history'>> {
  const { learningRef, ...rest } = request;
  return { ...rest, history: ownForecastHistory(await loadLearning(deps, learningRef), request.agent.id) };
}

/** R-D: the research JSON with the eleven keys. */
export async function packageResearchStep(deps: ActivityDeps, raw: PackageResearchInput): Promise<ResearchReport> {
  return ResearchReportSchema.parse(packageResearch(inputOf(deps, PackageResearchInputSchema, raw)));
}

export { markFallback };
