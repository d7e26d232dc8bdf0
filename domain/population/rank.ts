import type { Populations, Role } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import { compareIds } from './catalog';
import { NEUTRAL_METRIC } from './create-populations';
import {
  type Bound,
  FORECAST_OVERLAP,
  MIN_BOUND_N,
  Z_ONE_SIDED_95,
  brierSkillBound,
  meanBound,
  wilsonBound,
} from './confidence-bounds';

/** Rounds of history the headline metrics look back over when no window is given. */
export const DEFAULT_RANK_WINDOW = 50;

/**
 * A researcher's look-back in forecasts: the fewest that hold the MIN_BOUND_N independent outcomes a
 * bound needs (20 × FORECAST_OVERLAP = 240 forecasts, 40 days of 4h bars). Its forecasts overlap, so
 * `DEFAULT_RANK_WINDOW` of them (8 days) could never carry a bound (confidence-bounds.ts).
 */
export const RESEARCHER_FORECAST_WINDOW = MIN_BOUND_N * FORECAST_OVERLAP;

/** A researcher's Brier skill with its bound over its newest forecasts, n of them counted as n / FORECAST_OVERLAP outcomes. */
export function researcherSkillBound(learning: LearningState, agentId: string): Bound {
  return brierSkillBound(
    takeLast(learning.forecastHistory[agentId], RESEARCHER_FORECAST_WINDOW),
    Z_ONE_SIDED_95,
    MIN_BOUND_N,
    FORECAST_OVERLAP,
  );
}

export interface RoleMetric {
  agentId: string;
  /** Higher is better: analysts hit rate; researchers Brier skill vs 0.5; traders mean R; risk managers net R saved per decision. */
  metric: number;
  /** Scored outcomes behind the metric. */
  n: number;
  /** One-sided 95% confidence bounds on the metric (confidence-bounds.ts); −∞/+∞ without evidence. Ranking reads `lower`. */
  lower: number;
  upper: number;
}

/** The last `window` items (all when fewer): the ranking's look-back. */
export function takeLast<T>(xs: readonly T[] | undefined, window: number): readonly T[] {
  if (!xs) return [];
  return xs.slice(Math.max(0, xs.length - window));
}

function fromBound(b: Bound, neutral: number): Omit<RoleMetric, 'agentId'> {
  return { metric: b.n > 0 ? b.estimate : neutral, n: b.n, lower: b.lower, upper: b.upper };
}

/**
 * One agent's role metric over the last `window` outcomes, with its confidence bounds: analysts' hit rate
 * (Wilson), researchers' Brier skill and traders' mean R (mean ± z·se). With no outcomes the metric is the
 * role's neutral value and the bounds are unbounded. Risk scores are cumulative in LearningState (no
 * per-decision record), so a risk manager's bound takes R saved per decision as unit-sd (a stop is −1 R):
 * metric ± z/√n; the window does not apply to risk managers.
 */
export function computeRoleMetric(
  learning: LearningState,
  role: Role,
  agentId: string,
  window: number,
): Omit<RoleMetric, 'agentId'> {
  switch (role) {
    case 'analyst': {
      const hits = takeLast(learning.trendHits[agentId], window);
      return fromBound(
        wilsonBound(
          hits.reduce((s, h) => s + h, 0),
          hits.length,
        ),
        NEUTRAL_METRIC.analyst,
      );
    }
    case 'researcher':
      return fromBound(researcherSkillBound(learning, agentId), NEUTRAL_METRIC.researcher);
    case 'trader':
      return fromBound(meanBound(takeLast(learning.traderR[agentId], window)), NEUTRAL_METRIC.trader);
    case 'risk_manager': {
      const s = learning.riskScores[agentId];
      if (!s || s.n === 0)
        return {
          metric: NEUTRAL_METRIC.risk_manager,
          n: 0,
          lower: Number.NEGATIVE_INFINITY,
          upper: Number.POSITIVE_INFINITY,
        };
      const metric = (s.lossesAvoided - s.gainsVetoed) / s.n;
      if (s.n < MIN_BOUND_N)
        return { metric, n: s.n, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
      const half = Z_ONE_SIDED_95 / Math.sqrt(s.n);
      return { metric, n: s.n, lower: metric - half, upper: metric + half };
    }
  }
}

/**
 * The role's agents, best first by the lower confidence bound of their metric (so a lucky short record
 * cannot lead a long, steady one), then by the metric; equal → lowest id first ('x-2' before 'x-10').
 */
export function rankRole(populations: Populations, learning: LearningState, role: Role, window: number): RoleMetric[] {
  return populations[role]
    .map((a) => ({ agentId: a.id, ...computeRoleMetric(learning, role, a.id, window) }))
    .sort((a, b) => compareDesc(a.lower, b.lower) || b.metric - a.metric || compareIds(a.agentId, b.agentId));
}

/** Descending order that treats equal infinities as ties (−∞ − −∞ is NaN). */
function compareDesc(a: number, b: number): number {
  if (a === b) return 0;
  return b > a ? 1 : -1;
}

/** The best agent of a role over the default window; ties → lowest id. */
export function leaderOf(
  populations: Populations,
  learning: LearningState,
  role: Role,
  window = DEFAULT_RANK_WINDOW,
): string {
  const top = rankRole(populations, learning, role, window)[0];
  if (!top) throw new Error(`population ${role} is empty`);
  return top.agentId;
}

/**
 * How far an edge must go to multiply a vote weight by e, per role, in the metric's own units
 * (5 points of hit rate or Brier skill; a quarter R of expectancy).
 */
const VOTE_TEMPERATURE = {
  analyst: 0.05,
  researcher: 0.05,
  trader: 0.25,
  risk_manager: 0.25,
} as const satisfies Record<Role, number>;

/** Outcomes at which half of an agent's edge counts: shrinks lucky short records toward equal weights. */
const VOTE_SHRINK_N = 20;

/**
 * Track-record weights for the multi-agent vote, summing to 1: a softmax of each agent's edge over the
 * neutral metric, shrunk by n/(n + 20) so a few lucky outcomes cannot dominate. No records → equal weights.
 */
export function voteWeights(
  populations: Populations,
  learning: LearningState,
  role: Role,
  window = DEFAULT_RANK_WINDOW,
): Record<string, number> {
  const ranked = rankRole(populations, learning, role, window);
  const logits = ranked.map(
    (r) => ((r.metric - NEUTRAL_METRIC[role]) * (r.n / (r.n + VOTE_SHRINK_N))) / VOTE_TEMPERATURE[role],
  );
  const top = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - top));
  const total = exps.reduce((s, x) => s + x, 0);
  const weights: Record<string, number> = {};
  ranked.forEach((r, i) => {
    weights[r.agentId] = (exps[i] ?? 0) / total;
  });
  return weights;
}
