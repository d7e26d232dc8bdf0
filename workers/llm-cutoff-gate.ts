import type { LlmConfig } from '../adapters/llm/config';
import {
  cutoffEndMs,
  describeMemorisedRefusal,
  describeMemorisedWarning,
  memorisedPeriod,
  resolveTrainingCutoff,
  type LlmCutoffSummary,
} from '../domain/llm/training-cutoff';

/** The command-line flag that lets an LLM backtest run over bars the model may remember. */
export const ALLOW_MEMORISED_FLAG = 'allow-memorised-period';

/** Refused: an LLM backtest over bars before the model's training cutoff (or with no known cutoff), without the flag. */
export class MemorisedPeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemorisedPeriodError';
  }
}

/**
 * The one check every LLM backtest command makes before it runs (backtest, sweep, experiment's `llm` arm,
 * tune-evidence): over windows of bar closes (first and last traded), refuse a memorised or unknown period
 * unless `allowMemorisedPeriod`; otherwise return summary.json's llm_model, llm_training_cutoff and
 * memorised_period_warning (the warning set only when the run was let through with the flag).
 */
export function checkLlmCutoff(opts: {
  llm: Pick<LlmConfig, 'provider' | 'model' | 'trainingCutoff'>;
  windows: readonly { fromMs: number; toMs: number }[];
  allowMemorisedPeriod: boolean;
}): LlmCutoffSummary {
  const resolved = resolveTrainingCutoff({
    provider: opts.llm.provider,
    model: opts.llm.model,
    override: opts.llm.trainingCutoff,
  });
  const cutoffMs = resolved.cutoff === null ? null : cutoffEndMs(resolved.cutoff);
  const flagged = opts.windows.filter((w) => {
    const verdict = memorisedPeriod({ provider: opts.llm.provider, cutoffMs, ...w });
    return verdict === 'memorised' || verdict === 'unknown';
  });
  const summary: LlmCutoffSummary = {
    llm_model: resolved.model,
    llm_training_cutoff: resolved.cutoff,
    memorised_period_warning: null,
  };
  if (flagged.length === 0) return summary;
  if (!opts.allowMemorisedPeriod) throw new MemorisedPeriodError(describeMemorisedRefusal(resolved, flagged));
  return { ...summary, memorised_period_warning: describeMemorisedWarning(resolved, flagged) };
}

/** A memorised run's Temporal user metadata: the Web UI shows the summary under the workflow id and the details below it. */
export function memorisedMetadata(c: LlmCutoffSummary): { staticSummary?: string; staticDetails?: string } {
  if (c.memorised_period_warning === null) return {};
  return {
    staticSummary: `May reflect memory: ${c.llm_model} over bars before its training cutoff (${c.llm_training_cutoff ?? 'unknown'})`,
    staticDetails: c.memorised_period_warning,
  };
}
