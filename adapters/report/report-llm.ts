import { escapeHtml, formatMetric } from './report-format';

/**
 * The report's LLM section, from summary.json's llm_* fields: what was billed (calls, tokens, cost,
 * invalid replies), how often the offline reasoner stood in, and why. A run whose LLM failed
 * silently would otherwise look like a run that reasoned.
 */
export function renderLlmSection(summary: Record<string, unknown>): string {
  const failures = (summary['llm_failures'] ?? {}) as Record<string, number>;
  const rows: [string, unknown, 'int' | 'plain'][] = [
    ['Model', summary['llm_model'], 'plain'],
    ['Training data to (docs/llm-cutoffs.md)', summary['llm_training_cutoff'], 'plain'],
    ['Calls (billed, repairs and invalid replies included)', summary['llm_calls'], 'int'],
    ['Answered from cache', summary['llm_cached_calls'], 'int'],
    ['Tokens', summary['llm_tokens'], 'int'],
    ['Cost, USD', summary['llm_cost_usd'], 'plain'],
    ['Invalid replies', summary['llm_invalid_outputs'], 'int'],
    ['of which self-contradictory (valid fields that disagree)', summary['llm_contradictions'], 'int'],
    ['Fallbacks to the offline reasoner', summary['llm_fallbacks'], 'int'],
  ];
  const body = rows.map(
    ([label, value, format]) =>
      `<tr><th scope="row">${escapeHtml(label)}</th><td class="num">${escapeHtml(formatMetric(value, format))}</td></tr>`,
  );
  const reasons = Object.entries(failures).sort(([a], [b]) => a.localeCompare(b));
  const reasonRows = reasons.map(
    ([type, n]) =>
      `<tr><th scope="row">${escapeHtml(type)}</th><td class="num">${escapeHtml(formatMetric(n, 'int'))}</td></tr>`,
  );
  const reasonTable =
    reasons.length === 0
      ? '<p class="empty">No LLM failures.</p>'
      : `<table class="metrics llm-failures"><thead><tr><th>Fallback reason</th><th class="num">Steps</th></tr></thead><tbody>${reasonRows.join('')}</tbody></table>`;
  return `<section id="llm"><h2>LLM usage <small>calls, cost, failures and fallbacks</small></h2><table class="metrics llm-usage"><tbody>${body.join('')}</tbody></table>${reasonTable}</section>`;
}
