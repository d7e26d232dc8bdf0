import type { Populations, Role } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import { compareIds } from './catalog';
import { NEUTRAL_METRIC } from './create-populations';
import { computeBrierSkill } from './scoring';

/** Rounds of history the headline metrics look back over when no window is given. */
export const DEFAULT_RANK_WINDOW = 50;

export interface RoleMetric {
  agentId: string;
  /** Higher is better: analysts hit rate; researchers Brier skill vs 0.5; traders mean R; risk managers net R saved per decision. */
  metric: number;
  /** Scored outcomes behind the metric. */
  n: number;
}

function takeLast<T>(xs: readonly T[] | undefined, window: number): readonly T[] {
  if (!xs) return [];
  return xs.slice(Math.max(0, xs.length - window));
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/**
 * One agent's role metric over the last `window` outcomes. With no outcomes the metric is the role's neutral
 * value. Risk scores are cumulative in LearningState, so the window does not apply to risk managers.
 */
export function computeRoleMetric(learning: LearningState, role: Role, agentId: string, window: number): Omit<RoleMetric, 'agentId'> {
  switch (role) {
    case 'analyst': {
      const hits = takeLast(learning.trendHits[agentId], window);
      return { metric: hits.length > 0 ? mean(hits) : NEUTRAL_METRIC.analyst, n: hits.length };
    }
    case 'researcher': {
      const h = takeLast(learning.forecastHistory[agentId], window);
      return { metric: h.length > 0 ? computeBrierSkill(h) : NEUTRAL_METRIC.researcher, n: h.length };
    }
    case 'trader': {
      const rs = takeLast(learning.traderR[agentId], window);
      return { metric: rs.length > 0 ? mean(rs) : NEUTRAL_METRIC.trader, n: rs.length };
    }
    case 'risk_manager': {
      const s = learning.riskScores[agentId];
      if (!s || s.n === 0) return { metric: NEUTRAL_METRIC.risk_manager, n: 0 };
      return { metric: (s.lossesAvoided - s.gainsVetoed) / s.n, n: s.n };
    }
  }
}

/** The role's agents, best first; equal metrics → lowest id first ('x-2' before 'x-10'). */
export function rankRole(populations: Populations, learning: LearningState, role: Role, window: number): RoleMetric[] {
  return populations[role]
    .map((a) => ({ agentId: a.id, ...computeRoleMetric(learning, role, a.id, window) }))
    .sort((a, b) => b.metric - a.metric || compareIds(a.agentId, b.agentId));
}

/** The best agent of a role over the default window; ties → lowest id. */
export function leaderOf(populations: Populations, learning: LearningState, role: Role, window = DEFAULT_RANK_WINDOW): string {
  const top = rankRole(populations, learning, role, window)[0];
  if (!top) throw new Error(`population ${role} is empty`);
  return top.agentId;
}

/**
 * How far an edge must go to multiply a vote weight by e, per role, in the metric's own units
 * (5 points of hit rate or Brier skill; a quarter R of expectancy).
 */
const VOTE_TEMPERATURE = { analyst: 0.05, researcher: 0.05, trader: 0.25, risk_manager: 0.25 } as const satisfies Record<Role, number>;

/** Outcomes at which half of an agent's edge counts: shrinks lucky short records toward equal weights. */
const VOTE_SHRINK_N = 20;

/**
 * Track-record weights for the multi-agent vote, summing to 1: a softmax of each agent's edge over the
 * neutral metric, shrunk by n/(n + 20) so a few lucky outcomes cannot dominate. No records → equal weights.
 */
export function voteWeights(populations: Populations, learning: LearningState, role: Role, window = DEFAULT_RANK_WINDOW): Record<string, number> {
  const ranked = rankRole(populations, learning, role, window);
  const logits = ranked.map((r) => ((r.metric - NEUTRAL_METRIC[role]) * (r.n / (r.n + VOTE_SHRINK_N))) / VOTE_TEMPERATURE[role]);
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - top));
  const total = exps.reduce((s, x) => s + x, 0);
  const weights: Record<string, number> = {};
  ranked.forEach((r, i) => {
    weights[r.agentId] = (exps[i] ?? 0) / total;
  });
  return weights;
}
