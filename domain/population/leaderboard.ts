import type { MethodStep, Populations, Role } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import { ROLES, ROLE_STEPS, isPruned } from './catalog';
import { DEFAULT_RANK_WINDOW, rankRole } from './rank';

export interface LeaderboardRow {
  role: Role;
  agentId: string;
  /** The role metric over the window (higher is better; see rankRole). */
  score: number;
  n: number;
  /** Every inventory method; `pruned` ones sit in the library. */
  methods: { id: string; step: MethodStep; uses: number; score: number; n: number; pruned: boolean }[];
}

/** Every agent, role by role, best first: the rows behind status and summary.json `agents`. */
export function buildLeaderboard(
  populations: Populations,
  learning: LearningState,
  window = DEFAULT_RANK_WINDOW,
): LeaderboardRow[] {
  return ROLES.flatMap((role) =>
    rankRole(populations, learning, role, window).map((r) => {
      const agent = populations[role].find((a) => a.id === r.agentId);
      const methods = ROLE_STEPS[role].flatMap((step) =>
        (agent?.inventory[step] ?? []).map((m) => ({
          id: m.id,
          step,
          uses: m.uses,
          score: m.score,
          n: m.n,
          pruned: isPruned(m),
        })),
      );
      return { role, agentId: r.agentId, score: r.metric, n: r.n, methods };
    }),
  );
}

/** The summary.json `agents` list: {id, role, score, methods: [{id, uses, score}]}. */
export function buildSummaryAgents(
  populations: Populations,
  learning: LearningState,
): { id: string; role: Role; score: number; n: number; methods: { id: string; uses: number; score: number }[] }[] {
  return buildLeaderboard(populations, learning).map((r) => ({
    id: r.agentId,
    role: r.role,
    score: r.score,
    n: r.n,
    methods: r.methods.map((m) => ({ id: m.id, uses: m.uses, score: m.score })),
  }));
}
