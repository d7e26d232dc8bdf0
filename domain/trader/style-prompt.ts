import { formatIsoUtc } from '../metrics/civil-time';
import { type ChooseStyleInput } from '../schemas/steps';
import { findStandAsideReason, STYLE_METHODS } from './styles';

/** Field-by-field description of LlmStyleSchema (the JSON Schema itself is appended by the LLM layer). */
export const STYLE_SCHEMA_HINT =
  `{"style": one of ${STYLE_METHODS.map((s) => `"${s.id}"`).join(' | ')}; ` +
  '"orderType": "market" | "limit" (the style fixes it; state it anyway); ' +
  '"limitOffsetAtr": number in [0,3], how many ATRs better than the close a limit rests (0 for market); ' +
  '"takeProfitAtr": number in (0,20], take-profit distance in ATRs; "stopLossAtr": number in (0,10], stop distance in ATRs; ' +
  '"leverageMin", "leverageMax": numbers in [1,125], leverageMin <= leverageMax; ' +
  '"horizonBars": integer in [1,180], how many 4h bars to hold at most; "rationale": string of at most 600 characters}';

function describeBands(): string {
  return STYLE_METHODS.map((s) => {
    const b = s.bands;
    return (
      `- ${s.id} (${s.orderType}): ${s.description} Bands: offset ${b.limitOffsetAtr.join('–')} ATR, TP ${b.takeProfitAtr.join('–')} ATR, ` +
      `SL ${b.stopLossAtr.join('–')} ATR, leverage ${b.leverage.join('–')}x, horizon ${b.horizonBars.join('–')} bars.`
    );
  }).join('\n');
}

/**
 * T-A prompt for an LLM trader. It carries only the step input: the research JSON, the fresh
 * headlines in the snapshot summary and the risk manager's soft-fail feedback, all as of the bar close.
 */
export function buildStylePrompt(input: ChooseStyleInput): { system: string; user: string; schemaHint: string } {
  const preferred = STYLE_METHODS.find((s) => s.id === input.method.id);
  const aside = findStandAsideReason(input);
  const notes =
    input.agent.notes.length > 0
      ? `\nLessons from your peers:\n${input.agent.notes.map((n) => `- ${n}`).join('\n')}`
      : '';
  const system = [
    `You are ${input.agent.id}, an execution trader on a desk trading the ${input.ctx.symbol} perpetual on 4h bars.`,
    "Choose how to trade the research below: an execution style from the inventory and its parameters, inside that style's bands.",
    'The direction comes from the research; you choose order type, take-profit and stop distances, leverage band and holding horizon.',
    'Use only the data in the message: it is everything known at the bar close. Do not use knowledge of later prices or events.',
    'Read the headlines for event risk: before scheduled macro news or after a shock, prefer lower leverage, wider stops or stand_aside.',
    'If the risk manager sent feedback, your new style must fix every reason it gives (lower leverage, wider stop / smaller size).',
    `Inventory:\n${describeBands()}`,
    preferred === undefined ? '' : `Your preferred style this bar is ${preferred.id}; pick another only with a reason.`,
    notes,
  ].join('\n');
  const user = JSON.stringify(
    {
      barClose: formatIsoUtc(input.ctx.barCloseMs),
      bar: input.snapshot.bar,
      fundingRatePer8h: input.snapshot.fundingRate,
      headlines: input.snapshot.headlines,
      research: input.research,
      researchSaysStandAside: aside,
      riskFeedback: input.feedback,
      answerFormat: STYLE_SCHEMA_HINT,
    },
    null,
    1,
  );
  return { system, user, schemaHint: STYLE_SCHEMA_HINT };
}
