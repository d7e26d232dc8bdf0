import type { Agent, MethodStep, Populations, Role } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import type { LearningView, MethodChoice, PopulationsView, StepAgent } from '../schemas/steps';
import { findCurrentRegime } from '../population/current-regime';
import { leaderOf, voteWeights } from '../population/rank';
import { selectMethod } from '../population/select-method';
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

/** Matured forecasts R-A and R-C fit on (the logistic method, the calibrators): the newest 200. */
export const FIT_HISTORY = 200;

/** A researcher's own newest matured forecasts: all R-A and R-C read of the learning state. */
export function ownForecastHistory(learning: LearningState, agentId: string): LearningState['forecastHistory'][string] {
  return (learning.forecastHistory[agentId] ?? []).slice(-FIT_HISTORY);
}

/** The (M) steps each role's agents run every bar (risk managers: M-A, run by the leader only). */
const STEPS_OF: Record<Role, readonly MethodStep[]> = {
  analyst: ['A-B', 'A-C'],
  researcher: ['R-A', 'R-B', 'R-C'],
  trader: ['T-A'],
  risk_manager: ['M-A'],
};

/**
 * Everything the iteration's own code reads of the populations: each role's agents as a step knows
 * them (id, model, notes) and the method each agent's steps run this round, chosen by `selectMethod`
 * from the stored populations (the same choice the iteration made itself before, on the same agents,
 * round, seed and regime). The uses are recorded by E on the stored populations. Pure.
 */
export function populationsViewOf(
  ref: string,
  populations: Populations,
  ctx: { round: number; seed: number; regime: string | null },
): PopulationsView {
  const roles = Object.keys(STEPS_OF) as Role[];
  const methods: PopulationsView['methods'] = {};
  for (const role of roles)
    for (const agent of populations[role])
      methods[agent.id] = Object.fromEntries(
        STEPS_OF[role].map((step) => [step, selectMethod(agent, step, ctx)] as const),
      ) as Partial<Record<MethodStep, MethodChoice>>;
  return {
    ref,
    agents: {
      analyst: populations.analyst.map(stepAgentOf),
      researcher: populations.researcher.map(stepAgentOf),
      trader: populations.trader.map(stepAgentOf),
      risk_manager: populations.risk_manager.map(stepAgentOf),
    },
    methods,
  };
}

/** What a step knows of its agent (StepAgentSchema): id, model and notes, never the inventory. */
export function stepAgentOf(agent: Agent): StepAgent {
  return { id: agent.id, model: agent.model, notes: agent.notes };
}
