import type { Populations } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import type { LearningView } from '../schemas/steps';
import { findCurrentRegime } from '../population/current-regime';
import { leaderOf, voteWeights } from '../population/rank';
import { summarizeSkill } from '../population/skill';

/**
 * Everything the iteration's own code reads of the learning state (docs/architecture.md, "What crosses
 * the history"): the regime method selection conditions on, each role's leader, the vote weights and
 * the skill T-B sizes by (the leading researcher × each trader). Computed by the session from the state
 * it stored under `ref`, before the bar, as the iteration computed them itself before: same numbers.
 * Pure.
 */
export function learningViewOf(ref: string, populations: Populations, learning: LearningState): LearningView {
  const researcher = leaderOf(populations, learning, 'researcher');
  return {
    ref,
    regime: findCurrentRegime(learning),
    leaders: {
      analyst: leaderOf(populations, learning, 'analyst'),
      researcher,
      trader: leaderOf(populations, learning, 'trader'),
      risk_manager: leaderOf(populations, learning, 'risk_manager'),
    },
    voteWeights: {
      researcher: voteWeights(populations, learning, 'researcher'),
      trader: voteWeights(populations, learning, 'trader'),
    },
    skill: Object.fromEntries(
      populations.trader.map((t) => [t.id, summarizeSkill(learning, researcher, t.id)] as const),
    ),
  };
}

/** A researcher's own matured forecasts: all R-A and R-C read of the learning state. */
export function ownForecastHistory(learning: LearningState, agentId: string): LearningState['forecastHistory'][string] {
  return learning.forecastHistory[agentId] ?? [];
}
