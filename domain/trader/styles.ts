import { type LlmStyle, type StyleId } from '../schemas/llm-outputs';
import { type Provenance } from '../schemas/llm';
import { type ChooseStyleInput } from '../schemas/steps';
import { type ExecutionStyle } from '../schemas/trade';
import { makeHeuristicProvenance } from '../research/heuristic-provenance';
import { clamp } from '../research/math';
import { findMethod } from '../methods/method-definition';
import { mergeParams, readParam, truncateText } from '../research/method-params';

type Band = readonly [number, number];

/** One T-A style: fixed order type, default numbers (teaching may blend them) and the band an LLM must stay in. */
export interface StyleDefinition {
  id: StyleId;
  description: string;
  orderType: 'market' | 'limit';
  params: Record<string, number>;
  bands: Readonly<Record<'limitOffsetAtr' | 'takeProfitAtr' | 'stopLossAtr' | 'leverage' | 'horizonBars', Band>>;
  tags: string[];
}

/** T-A inventory. Leverage bands stay inside the default soft limit (5×) so a first order usually passes risk. */
export const STYLE_METHODS: readonly StyleDefinition[] = [
  {
    id: 'trend_swing',
    orderType: 'market',
    tags: ['trend_up', 'trend_down'],
    description:
      'Ride the trend: enter at market, stop 3 ATR away (outside the noise of a two-day hold), take-profit 6 ATR, hold about two days.',
    params: { limitOffsetAtr: 0, takeProfitAtr: 6, stopLossAtr: 3, leverageMin: 2, leverageMax: 4, horizonBars: 12 },
    bands: {
      limitOffsetAtr: [0, 0],
      takeProfitAtr: [2, 6],
      stopLossAtr: [1, 3],
      leverage: [1, 5],
      horizonBars: [6, 30],
    },
  },
  {
    id: 'mean_reversion',
    orderType: 'limit',
    tags: ['range'],
    description:
      'Fade the stretch: rest a limit 0.3 ATR better than the close, take 1.5 ATR, stop 1.2 ATR, short holding.',
    params: {
      limitOffsetAtr: 0.3,
      takeProfitAtr: 1.5,
      stopLossAtr: 1.2,
      leverageMin: 1,
      leverageMax: 3,
      horizonBars: 6,
    },
    bands: {
      limitOffsetAtr: [0.1, 1],
      takeProfitAtr: [1, 3],
      stopLossAtr: [0.8, 2.5],
      leverage: [1, 4],
      horizonBars: [2, 12],
    },
  },
  {
    id: 'breakout',
    orderType: 'market',
    tags: ['breakout_up', 'breakout_down', 'high_vol'],
    description: 'Chase the break at market: 6 ATR target, 3 ATR stop (outside the noise of the hold), medium holding.',
    params: { limitOffsetAtr: 0, takeProfitAtr: 6, stopLossAtr: 3, leverageMin: 2, leverageMax: 5, horizonBars: 8 },
    bands: {
      limitOffsetAtr: [0, 0],
      takeProfitAtr: [2.5, 8],
      stopLossAtr: [1, 3],
      leverage: [1, 5],
      horizonBars: [3, 24],
    },
  },
  {
    id: 'funding_carry',
    orderType: 'limit',
    tags: ['range'],
    description:
      'Earn funding: only when the recommended side receives funding; passive limit, low leverage, long holding.',
    params: { limitOffsetAtr: 0.2, takeProfitAtr: 2, stopLossAtr: 2, leverageMin: 1, leverageMax: 2, horizonBars: 18 },
    bands: {
      limitOffsetAtr: [0, 1],
      takeProfitAtr: [1, 4],
      stopLossAtr: [1.5, 4],
      leverage: [1, 3],
      horizonBars: [6, 42],
    },
  },
  {
    id: 'stand_aside',
    orderType: 'market',
    tags: [],
    description: 'Do not trade this bar.',
    params: { limitOffsetAtr: 0, takeProfitAtr: 1, stopLossAtr: 1, leverageMin: 1, leverageMax: 1, horizonBars: 1 },
    bands: {
      limitOffsetAtr: [0, 0],
      takeProfitAtr: [1, 1],
      stopLossAtr: [1, 1],
      leverage: [1, 1],
      horizonBars: [1, 1],
    },
  },
];

/** The numbers of a style, before the metadata of ExecutionStyle is added. */
export interface StyleNumbers {
  limitOffsetAtr: number;
  takeProfitAtr: number;
  stopLossAtr: number;
  leverageMin: number;
  leverageMax: number;
  horizonBars: number;
}

/** Feedback rules: risk soft-fail reasons → a more conservative style. Exported for tests and the prompt. */
export function applyFeedback(
  n: StyleNumbers,
  feedback: readonly string[],
): { numbers: StyleNumbers; notes: string[] } {
  let { leverageMin, leverageMax, stopLossAtr, takeProfitAtr } = n;
  const notes: string[] = [];
  for (const reason of feedback) {
    const text = reason.toLowerCase();
    const cap = /leverage\s+([\d.]+)\s+above\s+(?:hard\s+)?max\s+([\d.]+)/.exec(text);
    if (cap !== null) {
      // Stay a notch under the limit: the order builder may round leverage up.
      const max = Math.max(1, Number(cap[2]) * 0.9);
      leverageMax = Math.min(leverageMax * 0.8, max);
      notes.push(`leverage capped at ${leverageMax.toFixed(2)} (${reason})`);
    } else if (text.includes('liquidation')) {
      leverageMax *= 0.6;
      notes.push(`leverage band cut 40% (${reason})`);
    } else if (/notional|risk per trade|cvar|margin|size|exposure/.test(text)) {
      // Sizing is risk-based (size = risk budget / stop distance): a wider stop means a smaller position.
      // Leverage is not cut here: for a margin breach a lower leverage would post more margin.
      stopLossAtr *= 1.25;
      takeProfitAtr *= 1.25;
      notes.push(`stop widened 25% for a smaller size (${reason})`);
    } else {
      leverageMax *= 0.8;
      stopLossAtr *= 1.1;
      notes.push(`generally more conservative (${reason})`);
    }
  }
  leverageMax = Math.max(1, leverageMax);
  leverageMin = clamp(leverageMin, 1, leverageMax);
  return {
    numbers: {
      ...n,
      leverageMin,
      leverageMax,
      stopLossAtr: Math.min(10, stopLossAtr),
      takeProfitAtr: Math.min(20, takeProfitAtr),
    },
    notes,
  };
}

function toStyle(
  def: StyleDefinition,
  n: StyleNumbers,
  input: ChooseStyleInput,
  rationale: string,
  provenance: Provenance,
): ExecutionStyle {
  const standAside = def.id === 'stand_aside';
  const leverageMax = clamp(n.leverageMax, 1, 125);
  return {
    agentId: input.agent.id,
    method: def.id,
    orderType: def.orderType,
    limitOffsetAtr: def.orderType === 'market' ? 0 : clamp(n.limitOffsetAtr, 0, 3),
    takeProfitAtr: clamp(n.takeProfitAtr, 0.1, 20),
    stopLossAtr: clamp(n.stopLossAtr, 0.1, 10),
    leverageMin: clamp(n.leverageMin, 1, leverageMax),
    leverageMax,
    horizonBars: Math.round(clamp(n.horizonBars, 1, 180)),
    standAside,
    rationale: truncateText(rationale),
    provenance,
  };
}

/** Why the research does not support a trade this bar, or null when it does. */
export function findStandAsideReason(input: ChooseStyleInput): string | null {
  const r = input.research;
  if (r.Recommendation.action === 'flat') return 'research recommends flat';
  if (r.Confidence < r.Constraints.minConfidence)
    return `confidence ${r.Confidence.toFixed(3)} below minimum ${r.Constraints.minConfidence}`;
  return null;
}

/** Caps every style at the research's leverage constraint. */
function capByResearch(n: StyleNumbers, input: ChooseStyleInput): StyleNumbers {
  const leverageMax = Math.max(1, Math.min(n.leverageMax, input.research.Constraints.maxLeverage));
  return { ...n, leverageMax, leverageMin: clamp(n.leverageMin, 1, leverageMax) };
}

function readNumbers(p: Record<string, number>): StyleNumbers {
  return {
    limitOffsetAtr: readParam(p, 'limitOffsetAtr', 0),
    takeProfitAtr: readParam(p, 'takeProfitAtr', 2),
    stopLossAtr: readParam(p, 'stopLossAtr', 1.5),
    leverageMin: readParam(p, 'leverageMin', 1),
    leverageMax: readParam(p, 'leverageMax', 3),
    horizonBars: readParam(p, 'horizonBars', 6),
  };
}

/**
 * T-A offline: the chosen style with its parameters, switched to stand_aside when the research is
 * flat or under-confident (or, for funding_carry, when the side would pay funding), made more
 * conservative by the risk manager's soft-fail feedback. Pure.
 */
export function chooseStyleHeuristic(input: ChooseStyleInput): ExecutionStyle {
  const chosen = findMethod(STYLE_METHODS, 'T-A', input.method.id);
  const aside = findMethod(STYLE_METHODS, 'T-A', 'stand_aside');
  const reason = findStandAsideReason(input) ?? fundingCarryVeto(chosen, input);
  if (reason !== null)
    return toStyle(aside, readNumbers(aside.params), input, `stand aside: ${reason}`, makeHeuristicProvenance());
  const base = capByResearch(readNumbers(mergeParams(chosen.params, input.method.params)), input);
  const { numbers, notes } = applyFeedback(base, input.feedback);
  const r = input.research;
  const text =
    `${chosen.id} for a ${r.Recommendation.action} at confidence ${r.Confidence.toFixed(3)} in ${r.Market_State.regime}` +
    (notes.length > 0 ? `; ${notes.join('; ')}` : '');
  return toStyle(chosen, numbers, input, text, makeHeuristicProvenance());
}

function fundingCarryVeto(def: StyleDefinition, input: ChooseStyleInput): string | null {
  if (def.id !== 'funding_carry') return null;
  const f = input.research.Market_State.fundingRate ?? input.snapshot.fundingRate ?? 0;
  // Positive funding is paid by longs to shorts: carry exists only for the receiving side.
  const receives = input.research.Recommendation.action === 'long' ? f < 0 : f > 0;
  return receives ? null : `funding ${f} does not pay the ${input.research.Recommendation.action} side`;
}

/**
 * Maps a validated LLM style into the T-A contract, clamped to the band of the style it chose, the
 * research's leverage constraint and any leverage cap named in the feedback. Research that is flat
 * forces stand_aside whatever the model said. The caller passes the LLM call's provenance.
 */
export function styleFromLlm(out: LlmStyle, input: ChooseStyleInput, provenance?: Provenance): ExecutionStyle {
  const prov = provenance ?? { ...makeHeuristicProvenance(), source: 'llm' as const };
  const reason = findStandAsideReason(input);
  const def = findMethod(STYLE_METHODS, 'T-A', reason === null ? out.style : 'stand_aside');
  if (def.id === 'stand_aside')
    return toStyle(
      def,
      readNumbers(def.params),
      input,
      reason === null ? out.rationale : `stand aside: ${reason}`,
      prov,
    );
  const b = def.bands;
  const lo = Math.min(out.leverageMin, out.leverageMax);
  const hi = Math.max(out.leverageMin, out.leverageMax);
  const banded: StyleNumbers = {
    limitOffsetAtr: clamp(out.limitOffsetAtr, b.limitOffsetAtr[0], b.limitOffsetAtr[1]),
    takeProfitAtr: clamp(out.takeProfitAtr, b.takeProfitAtr[0], b.takeProfitAtr[1]),
    stopLossAtr: clamp(out.stopLossAtr, b.stopLossAtr[0], b.stopLossAtr[1]),
    leverageMin: clamp(lo, b.leverage[0], b.leverage[1]),
    leverageMax: clamp(hi, b.leverage[0], b.leverage[1]),
    horizonBars: clamp(out.horizonBars, b.horizonBars[0], b.horizonBars[1]),
  };
  // Hard caps only: the model already saw the feedback, so the multiplicative rules would double-count.
  const caps = input.feedback.flatMap((f) => {
    const m = /leverage\s+[\d.]+\s+above\s+(?:hard\s+)?max\s+([\d.]+)/i.exec(f);
    return m === null ? [] : [Math.max(1, Number(m[1]) * 0.9)];
  });
  const capped = capByResearch({ ...banded, leverageMax: Math.min(banded.leverageMax, ...caps) }, input);
  return toStyle(def, capped, input, out.rationale, prov);
}
