import { z } from 'zod';
import { addUsage, ZERO_USAGE, type LlmUsage } from '../schemas/llm';
import { DAY_MS } from '../market/time-grid';

/** One LLM call (or cache hit) as the cost ledger stores it: one JSONL line. */
export const CostRecordSchema = z.object({
  sessionId: z.string(),
  iterationId: z.string(),
  agentId: z.string(),
  step: z.string(),
  model: z.string(),
  cached: z.boolean(),
  /** The reply failed the step's output contract (still billed). Absent in older ledgers. */
  invalid: z.boolean().optional(),
  /** The invalid reply met the field rules but contradicted itself (domain/llm/agreement.ts). Absent in older ledgers. */
  contradiction: z.boolean().optional(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  atMs: z.number().int(),
});
export type CostRecord = z.infer<typeof CostRecordSchema>;

/** UTC day number since the epoch (epoch ms are UTC, so integer division needs no calendar). */
export function utcDayOf(atMs: number): number {
  return Math.floor(atMs / DAY_MS);
}

/** The usage one record adds to a total. */
export function usageOf(record: CostRecord): LlmUsage {
  return {
    calls: record.cached ? 0 : 1,
    cachedCalls: record.cached ? 1 : 0,
    tokensIn: record.tokensIn,
    tokensOut: record.tokensOut,
    costUsd: record.costUsd,
    invalidOutputs: record.invalid === true ? 1 : 0,
    contradictions: record.contradiction === true ? 1 : 0,
    fallbacks: 0,
    failures: {},
  };
}

/** Running totals keyed by session, UTC day, iteration and session/agent: O(1) budget checks. */
export class CostTotals {
  private readonly totals = new Map<string, LlmUsage>();

  add(record: CostRecord): void {
    const usage = usageOf(record);
    for (const key of keysOf(record)) this.totals.set(key, addUsage(this.totals.get(key) ?? ZERO_USAGE, usage));
  }
  session(sessionId: string): LlmUsage {
    return this.totals.get(`s:${sessionId}`) ?? ZERO_USAGE;
  }
  day(atMs: number): LlmUsage {
    return this.totals.get(`d:${utcDayOf(atMs)}`) ?? ZERO_USAGE;
  }
  iteration(iterationId: string): LlmUsage {
    return this.totals.get(`i:${iterationId}`) ?? ZERO_USAGE;
  }
  agent(sessionId: string, agentId: string): LlmUsage {
    return this.totals.get(`a:${sessionId}\u0000${agentId}`) ?? ZERO_USAGE;
  }
}

function keysOf(r: CostRecord): string[] {
  return [`s:${r.sessionId}`, `d:${utcDayOf(r.atMs)}`, `i:${r.iterationId}`, `a:${r.sessionId}\u0000${r.agentId}`];
}
