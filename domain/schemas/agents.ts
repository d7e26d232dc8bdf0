import { z } from 'zod';

export const RoleSchema = z.enum(['analyst', 'researcher', 'trader', 'risk_manager']);
export type Role = z.infer<typeof RoleSchema>;

/** Steps whose agent chooses a method from its inventory (marked (M) in docs/architecture.md). */
export const MethodStepSchema = z.enum(['A-B', 'A-C', 'R-A', 'R-B', 'R-C', 'T-A', 'M-A']);
export type MethodStep = z.infer<typeof MethodStepSchema>;

/** One method in an agent's inventory with its track record. */
export const MethodStatsSchema = z.object({
  id: z.string(),
  uses: z.number().int().nonnegative(),
  /** Running score in [0, 1] from the Evaluator; 0.5 = no information. */
  score: z.number().min(0).max(1),
  /** Number of scored outcomes behind `score`. */
  n: z.number().int().nonnegative(),
  /** Regimes the method is specialised for; empty = general purpose. */
  tags: z.array(z.string()),
  /** Numeric parameters (blended by teaching). */
  params: z.record(z.string(), z.number()),
  lastUsedRound: z.number().int(),
});
export type MethodStats = z.infer<typeof MethodStatsSchema>;

export const AgentSchema = z.object({
  id: z.string(),
  role: RoleSchema,
  /** LLM model override for this agent; null = the shared default. */
  model: z.string().nullable(),
  inventory: z.partialRecord(MethodStepSchema, z.array(MethodStatsSchema)),
  /** The Evaluator's headline score for the agent's role metric (higher is better). */
  score: z.number(),
  /** Scored outcomes behind `score`. */
  n: z.number().int().nonnegative(),
  /** Lessons received from teachers (bounded). */
  notes: z.array(z.string()),
});
export type Agent = z.infer<typeof AgentSchema>;

export const PopulationsSchema = z.object({
  analyst: z.array(AgentSchema).min(1),
  researcher: z.array(AgentSchema).min(1),
  trader: z.array(AgentSchema).min(1),
  risk_manager: z.array(AgentSchema).min(1),
});
export type Populations = z.infer<typeof PopulationsSchema>;

export const LearningEventSchema = z.object({
  round: z.number().int(),
  type: z.enum(['teach', 'prune', 'restore']),
  role: RoleSchema,
  agent: z.string(),
  teacher: z.string().nullable(),
  method: z.string().nullable(),
  reason: z.string(),
});
export type LearningEvent = z.infer<typeof LearningEventSchema>;
