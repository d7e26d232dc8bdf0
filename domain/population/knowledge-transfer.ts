import type { LearningEvent, Populations, Role } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';
import type { KnowledgeTransferInput } from '../schemas/steps';
import { ROLES, updateAgent } from './catalog';
import { findCurrentRegime } from './current-regime';
import { DEFAULT_PRUNE, pruneAgent, restoreMethods } from './prune';
import { NEUTRAL_METRIC } from './create-populations';
import { DEFAULT_RANK_WINDOW, RESEARCHER_FORECAST_WINDOW, rankRole, takeLast } from './rank';
import { blendInventory, summarizeMethods } from './teach';

export { restoreCandidates, restoreMethods, listLibrary } from './prune';

export interface KnowledgeTransferOptions {
  /** Scored outcomes the leader needs before it may teach (guards against a lucky streak). @default 10 */
  minSamples?: number;
  /** How far the leader's metric must exceed a student's for that student to be taught. @default 0.02 */
  margin?: number;
  /** Weight of the teacher in student = (1 − blend)·own + blend·teacher. @default 0.3 */
  blend?: number;
  /** Rounds without a use before a method may be pruned. @default 30 */
  pruneWindow?: number;
  /** Times a regime must have been seen before methods tagged for it may be pruned. @default 20 */
  minRegimeSeen?: number;
  /** Active methods always kept per step. @default 2 */
  minKeep?: number;
  /** Outcomes the ranking looks back over. @default 50 */
  rankWindow?: number;
  /** The current regime for restores and pruning protection. @default the newest pending trend call's regime */
  regime?: string | null;
  /** Who gets an LLM-written lesson: agents with their own model, or every taught agent. @default 'model' */
  lessonsFor?: 'model' | 'all';
  /** Leaders teach (config.learning.teaching; off = experiment arm no-teaching). @default true */
  teaching?: boolean;
  /** Rarely used methods are pruned and restored (config.learning.pruning; off = arm no-pruning). @default true */
  pruning?: boolean;
}

export interface LessonRequest {
  teacherId: string;
  studentId: string;
  role: Role;
  summary: string;
}

export interface KnowledgeTransferPlan {
  populations: Populations;
  events: LearningEvent[];
  lessonRequests: LessonRequest[];
}

const METRIC_NAME = {
  analyst: 'trend hit rate',
  researcher: 'Brier skill',
  trader: 'mean R',
  risk_manager: 'net R saved per decision',
} as const satisfies Record<Role, string>;

/**
 * What knowledge transfer reads of the learning state, and no more: the newest trend call (the current
 * regime), the last `rankWindow` outcomes per agent (the ranking's window), the risk scores and the regime
 * counts. `planKnowledgeTransfer` on the slice plans exactly as on the whole state (same ranking window),
 * so the knowledge-transfer child's input carries the slice, not up to 200 scored forecasts per researcher.
 */
export function knowledgeTransferSliceOf(learning: LearningState, rankWindow = DEFAULT_RANK_WINDOW): LearningState {
  const lastOf = <T>(byAgent: Record<string, T[]>, window = rankWindow): Record<string, T[]> =>
    Object.fromEntries(Object.entries(byAgent).map(([id, xs]) => [id, [...takeLast(xs, window)]]));
  return {
    pendingForecasts: [],
    pendingTrendCalls: learning.pendingTrendCalls.slice(-1),
    pendingRiskDecisions: [],
    forecastHistory: lastOf(learning.forecastHistory, RESEARCHER_FORECAST_WINDOW),
    trendHits: lastOf(learning.trendHits),
    traderR: lastOf(learning.traderR),
    riskScores: learning.riskScores,
    regimeCounts: learning.regimeCounts,
  };
}

/** Roles that learn this round: traders every `traderEvery` rounds, the others every `every` rounds; never round 0. */
export function listRolesDue(round: number, every: number, traderEvery: number): Role[] {
  if (round <= 0) return [];
  return ROLES.filter((role) => round % (role === 'trader' ? traderEvery : every) === 0);
}

/**
 * Knowledge transfer for the roles due this round: restore library methods whose regime is back, let each
 * role's leader teach every peer it beats by the margin (only with enough samples), then prune rarely used
 * methods. A leader teaches only when its lower confidence bound shows skill (confidence-bounds.ts); the
 * `teaching` and `pruning` switches turn either half off. Every teach/prune/restore is a LearningEvent whose reason states the numbers. LLM lessons are
 * requested, not written: the caller asks the LLM and folds the answers in with applyLessons.
 */
export function planKnowledgeTransfer(
  input: KnowledgeTransferInput,
  opts: KnowledgeTransferOptions = {},
): KnowledgeTransferPlan {
  const {
    minSamples = 10,
    margin = 0.02,
    blend = 0.3,
    rankWindow = DEFAULT_RANK_WINDOW,
    lessonsFor = 'model',
    teaching = true,
    pruning = true,
  } = opts;
  const prune = {
    ...DEFAULT_PRUNE,
    ...(opts.pruneWindow !== undefined && { window: opts.pruneWindow }),
    ...(opts.minRegimeSeen !== undefined && { minRegimeSeen: opts.minRegimeSeen }),
    ...(opts.minKeep !== undefined && { minKeep: opts.minKeep }),
  };
  const { ctx, learning } = input;
  const roles = listRolesDue(ctx.round, input.every, input.traderEvery);
  const regime = opts.regime !== undefined ? opts.regime : findCurrentRegime(learning);
  const restored = pruning
    ? restoreMethods(input.populations, regime, ctx.round, roles)
    : { populations: input.populations, events: [] };
  let populations = restored.populations;
  const events: LearningEvent[] = [...restored.events];
  const lessonRequests: LessonRequest[] = [];

  for (const role of teaching ? roles : []) {
    const ranked = rankRole(populations, learning, role, rankWindow);
    const top = ranked[0];
    const teacher = populations[role].find((a) => a.id === top?.agentId);
    // Only demonstrated skill teaches: the leader's lower confidence bound must clear the role's neutral value.
    if (!top || !teacher || top.n < minSamples || !(top.lower > NEUTRAL_METRIC[role])) continue;
    const best = summarizeMethods(teacher);
    for (const r of ranked.slice(1)) {
      const gap = top.metric - r.metric;
      if (gap < margin - 1e-12) continue; // tolerance: 0.62 − 0.60 must count as a 0.02 lead
      const numbers = `${teacher.id} ${METRIC_NAME[role]} ${top.metric.toFixed(3)} (lower bound ${top.lower.toFixed(3)}, n ${top.n}) vs ${r.agentId} ${r.metric.toFixed(3)} (n ${r.n}): lead ${gap.toFixed(3)} >= margin ${margin}`;
      populations = updateAgent(populations, r.agentId, (student) => blendInventory(student, teacher, blend));
      events.push({
        round: ctx.round,
        type: 'teach',
        role,
        agent: r.agentId,
        teacher: teacher.id,
        method: null,
        reason: `${numbers}; blended ${Math.round(blend * 100)}% of the teacher's method scores and params${best ? `; teacher's best: ${best}` : ''}`,
      });
      const student = populations[role].find((a) => a.id === r.agentId);
      if (student && (lessonsFor === 'all' || student.model !== null)) {
        lessonRequests.push({
          teacherId: teacher.id,
          studentId: r.agentId,
          role,
          summary: `${numbers}.${best ? ` Teacher's best methods: ${best}.` : ''}${teacher.notes.length > 0 ? ` Teacher's latest note: ${teacher.notes.at(-1)}` : ''}`,
        });
      }
    }
  }

  for (const role of pruning ? roles : []) {
    for (const agent of populations[role]) {
      const pruned = pruneAgent(agent, ctx.round, learning.regimeCounts, regime, prune);
      if (pruned.events.length === 0) continue;
      populations = updateAgent(populations, agent.id, () => pruned.agent);
      events.push(...pruned.events);
    }
  }
  return { populations, events, lessonRequests };
}

/**
 * Appends LLM-written lessons to agents' notes, trimmed to `maxChars` and keeping the newest `maxNotes`.
 * Empty lessons and unknown agent ids are skipped: a bad lesson must not fail the workflow.
 */
export function applyLessons(
  populations: Populations,
  lessons: readonly { agentId: string; lesson: string }[],
  maxNotes = 5,
  maxChars = 400,
): Populations {
  let next = populations;
  for (const { agentId, lesson } of lessons) {
    const text = lesson.trim().slice(0, maxChars);
    if (text.length === 0 || !ROLES.some((role) => next[role].some((a) => a.id === agentId))) continue;
    next = updateAgent(next, agentId, (a) => ({ ...a, notes: [...a.notes, text].slice(-maxNotes) }));
  }
  return next;
}
