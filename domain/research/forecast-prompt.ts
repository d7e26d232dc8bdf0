import { formatIsoUtc } from '../metrics/civil-time';
import { type ForecastInput } from '../schemas/steps';
import { FORECAST_METHODS } from './forecast-inventory';
import { standardiseFeatures } from './forecast-scores';
import { findMethod } from '../methods/method-definition';
import { mergeParams, readParam } from './method-params';
import { formatValues, roundSig, summariseTrackRecord } from './prompt-format';

/** Field-by-field description of LlmForecastSchema (the JSON Schema itself is appended by the LLM layer). */
export const FORECAST_SCHEMA_HINT =
  '{"pUp": number in [0,1], probability that the close horizonBars bars after the bar close is above the close now; ' +
  '"expectedReturn": number in [-1,1], expected log return over the horizon (e.g. 0.004 = +0.4%); ' +
  '"horizonBars": integer in [1,180], horizon in 4h bars; ' +
  '"rationale": string of at most 600 characters naming the evidence used}';

/** How many of the newest matured forecasts to summarise; older ones say little about current skill. */
const TRACK_RECORD_WINDOW = 50;

/**
 * R-A prompt for an LLM forecaster. It only serialises the step input (features, trend calls and
 * headlines as of the bar close, the agent's matured track record); pending forecasts and anything
 * dated after the bar close are left out, so the model cannot see the future through the prompt.
 */
export function buildForecastPrompt(input: ForecastInput): { system: string; user: string; schemaHint: string } {
  const def = findMethod(FORECAST_METHODS, 'R-A', input.method.id);
  const params = mergeParams(def.params, input.method.params);
  const horizon = Math.round(readParam(params, 'horizonBars', 6));
  const barClose = formatIsoUtc(input.ctx.barCloseMs);
  const history = input.history.filter((h) => h.barCloseMs <= input.ctx.barCloseMs).slice(-TRACK_RECORD_WINDOW);
  const notes =
    input.agent.notes.length > 0
      ? `\nLessons from your peers:\n${input.agent.notes.map((n) => `- ${n}`).join('\n')}`
      : '';
  const system = [
    `You are ${input.agent.id}, a quantitative researcher on a desk trading the ${input.ctx.symbol} perpetual on 4h bars.`,
    `Method: ${def.id}: ${def.description}`,
    `Forecast whether the close ${horizon} bars after the bar that closed at ${barClose} will be above that bar's close.`,
    'Use only the data in the message: it is everything known at the bar close. Do not use any knowledge of later prices or events.',
    'Be calibrated: 0.5 means no edge, and 4h BTC direction is rarely more than 65% predictable. Keep expectedReturn consistent with pUp and the volatility.',
    notes,
  ].join('\n');
  const snapshot = input.analysis.snapshot;
  const standard = standardiseFeatures(input.analysis.features.values);
  const user = JSON.stringify(
    {
      barClose,
      bar: {
        open: snapshot.bar.open,
        high: snapshot.bar.high,
        low: snapshot.bar.low,
        close: snapshot.bar.close,
        volume: roundSig(snapshot.bar.volume),
      },
      fundingRatePer8h: snapshot.fundingRate,
      openInterestBtc: roundSig(snapshot.openInterest),
      features: formatValues(input.analysis.features.values),
      standardised: formatValues({ ...standard }),
      consensusTrend: {
        direction: input.analysis.consensus.direction,
        strength: roundSig(input.analysis.consensus.strength, 3),
        regime: input.analysis.consensus.regime,
      },
      analystCalls: input.analysis.trends.map((t) => ({
        analyst: t.agentId,
        method: t.method,
        direction: t.direction,
        strength: roundSig(t.strength, 3),
        regime: t.regime,
      })),
      headlines: snapshot.headlines,
      dataIssues: snapshot.issues.map((i) => `${i.kind} ${i.stream}: ${i.detail}`),
      yourTrackRecord: summariseTrackRecord(history),
      horizonBars: horizon,
      answerFormat: FORECAST_SCHEMA_HINT,
    },
    null,
    1,
  );
  return { system, user, schemaHint: FORECAST_SCHEMA_HINT };
}
