import type { LlmUsage } from '../schemas/llm';

/**
 * summary.json's llm_* fields from a run's usage (the sum of its iteration reports). Calls, tokens
 * and cost are what the provider bills, so they reconcile with the cost ledger; invalid replies,
 * fallbacks and their reasons make a failing LLM visible instead of silently replaced.
 */
export function llmSummaryOf(usage: LlmUsage) {
  return {
    llm_calls: usage.calls,
    llm_cached_calls: usage.cachedCalls,
    llm_tokens: usage.tokensIn + usage.tokensOut,
    llm_cost_usd: usage.costUsd,
    llm_invalid_outputs: usage.invalidOutputs,
    llm_contradictions: usage.contradictions,
    llm_fallbacks: usage.fallbacks,
    llm_failures: usage.failures,
  };
}

/** One console line: `LLM calls 93 (0 cached), 41,200 tokens, $0.0123, invalid replies 93 (2 contradictory), fallbacks 31 {Llm.InvalidOutput: 31}`. */
export function formatLlmLine(usage: LlmUsage): string {
  const reasons = Object.entries(usage.failures)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${type}: ${n}`)
    .join(', ');
  return `LLM calls ${usage.calls} (${usage.cachedCalls} cached), ${usage.tokensIn + usage.tokensOut} tokens, $${usage.costUsd.toFixed(4)}, invalid replies ${usage.invalidOutputs} (${usage.contradictions} contradictory), fallbacks ${usage.fallbacks}${reasons === '' ? '' : ` {${reasons}}`}`;
}
