import { type Agent, type MethodStep, MethodStepSchema, type Populations } from '../schemas/agents';
import { ROLES, clamp } from './catalog';

/** A 0..1 reward for one method an agent used, from one matured outcome. */
export interface MethodCredit {
  agentId: string;
  step: MethodStep;
  methodId: string;
  reward: number;
}

/**
 * Pending forecasts and trend calls carry one `method` string, but an outcome should credit every step that
 * produced it (R-A and R-C for a forecast, A-C and A-B for a trend call). They are packed as
 * `STEP:id|STEP:id`; a plain id (no step prefix) decodes to the default step.
 */
export function encodeMethods(entries: readonly (readonly [MethodStep, string])[]): string {
  return entries.map(([step, id]) => `${step}:${id}`).join('|');
}

export function decodeMethods(packed: string, defaultStep: MethodStep): [MethodStep, string][] {
  return packed
    .split('|')
    .filter((part) => part.length > 0)
    .map((part) => {
      const colon = part.indexOf(':');
      const step = MethodStepSchema.safeParse(part.slice(0, colon));
      return colon > 0 && step.success ? [step.data, part.slice(colon + 1)] : [defaultStep, part];
    });
}

/** The method of a step the agent ran in `round` (recordUse stamps lastUsedRound), or null. */
export function findMethodUsedIn(agent: Agent | undefined, step: MethodStep, round: number): string | null {
  return agent?.inventory[step]?.find((m) => m.lastUsedRound === round)?.id ?? null;
}

/**
 * The method of a step the agent used most recently, or null if none was used. A fallback for outcomes whose
 * producing method is not recorded (closed trades, risk decisions): right whenever the agent kept one method.
 */
export function findLatestMethod(agent: Agent | undefined, step: MethodStep): string | null {
  let best: { id: string; round: number } | null = null;
  for (const m of agent?.inventory[step] ?? [])
    if (m.lastUsedRound >= 0 && (!best || m.lastUsedRound > best.round)) best = { id: m.id, round: m.lastUsedRound };
  return best?.id ?? null;
}

/** Folds each reward into its method's running mean: score ← (score·n + reward)/(n + 1), n ← n + 1. Unknown agents/methods are skipped. */
export function applyCredits(populations: Populations, credits: readonly MethodCredit[]): Populations {
  if (credits.length === 0) return populations;
  const byAgent = new Map<string, MethodCredit[]>();
  for (const c of credits) byAgent.set(c.agentId, [...(byAgent.get(c.agentId) ?? []), c]);
  const next = { ...populations };
  for (const role of ROLES) {
    next[role] = populations[role].map((agent) => {
      const mine = byAgent.get(agent.id);
      if (!mine) return agent;
      const inventory = { ...agent.inventory };
      for (const c of mine) {
        const methods = inventory[c.step];
        if (!methods) continue;
        inventory[c.step] = methods.map((m) =>
          m.id === c.methodId
            ? { ...m, score: clamp((m.score * m.n + clamp(c.reward, 0, 1)) / (m.n + 1), 0, 1), n: m.n + 1 }
            : m,
        );
      }
      return { ...agent, inventory };
    });
  }
  return next;
}
