import type { Agent, MethodStep, Populations } from '../schemas/agents';
import type { MethodChoice } from '../schemas/steps';
import { NoMethodError, getActiveMethods, getRegimeTags, updateAgent, updateMethod } from './catalog';
import { createKeyedRng, sampleBeta } from '../random/prng';

export interface SelectMethodOptions {
  /** Added to the Thompson draw of a method tagged for the current regime. @default 0.1 */
  regimeBonus?: number;
  /** Subtracted from the draw of a method tagged only for other regimes. @default 0.1 */
  regimePenalty?: number;
  /**
   * Pseudo-observations behind the prior score, so the seeded prior jitter tilts the first draws
   * (with n = 0 the Beta of the brief would ignore the score entirely). @default 2
   */
  priorN?: number;
}

export interface MethodDraw {
  id: string;
  draw: number;
  adjusted: number;
}

/**
 * The explicit selection policy: Thompson sampling (Thompson 1933; Chapelle & Li 2011) on
 * Beta(1 + score·n, 1 + (1 − score)·n) per unpruned method, with a PRNG keyed by (seed, round, agent, step) so
 * the same state always picks the same method. Regime-tagged methods get a bonus in their regime and a
 * penalty outside it; general methods (no tags) are left alone. Returns every draw for logging.
 */
export function drawMethods(
  agent: Agent,
  step: MethodStep,
  ctx: { round: number; seed: number; regime: string | null },
  opts: SelectMethodOptions = {},
): MethodDraw[] {
  const { regimeBonus = 0.1, regimePenalty = 0.1, priorN = 2 } = opts;
  const methods = getActiveMethods(agent, step);
  if (methods.length === 0) throw new NoMethodError(agent.id, step);
  const rng = createKeyedRng(ctx.seed, ctx.round, agent.id, step);
  return methods.map((m) => {
    const k = m.n + priorN;
    const draw = sampleBeta(rng, 1 + m.score * k, 1 + (1 - m.score) * k);
    const tags = getRegimeTags(m);
    let adjusted = draw;
    if (ctx.regime !== null && tags.length > 0) adjusted += tags.includes(ctx.regime) ? regimeBonus : -regimePenalty;
    return { id: m.id, draw, adjusted };
  });
}

/** Chooses the method an agent runs for a step this round (see drawMethods for the policy). Ties → first in inventory. */
export function selectMethod(
  agent: Agent,
  step: MethodStep,
  ctx: { round: number; seed: number; regime: string | null },
  opts: SelectMethodOptions = {},
): MethodChoice {
  const draws = drawMethods(agent, step, ctx, opts);
  let best = draws[0] as MethodDraw;
  for (const d of draws) if (d.adjusted > best.adjusted) best = d;
  const method = getActiveMethods(agent, step).find((m) => m.id === best.id);
  return { id: best.id, params: { ...(method?.params ?? {}) } };
}

/** Records that an agent ran a method this round (uses + 1, lastUsedRound = round); pruning reads both. */
export function recordUse(
  populations: Populations,
  agentId: string,
  step: MethodStep,
  methodId: string,
  round: number,
): Populations {
  return updateAgent(populations, agentId, (agent) =>
    updateMethod(agent, step, methodId, (m) => ({
      ...m,
      uses: m.uses + 1,
      lastUsedRound: Math.max(m.lastUsedRound, round),
    })),
  );
}
