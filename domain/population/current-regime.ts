import type { LearningState } from '../schemas/learning';

/**
 * The regime the analysts see now: that of the newest pending trend call, or null before any. The
 * Evaluator appends calls bar by bar and drops matured ones in place, so the list is in bar order and
 * the newest is the last (the one rule both method selection and knowledge transfer read).
 */
export function findCurrentRegime(learning: LearningState): string | null {
  return learning.pendingTrendCalls.at(-1)?.regime ?? null;
}
