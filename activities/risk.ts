import { mergeLlmReview, buildRiskReviewPrompt } from '../domain/risk/llm-review';
import { analyseRisk } from '../domain/risk/checks';
import { LlmRiskReviewAnswerSchema } from '../domain/llm/answer-schemas';
import type { LlmRiskReview } from '../domain/schemas/risk-review';
import { type RiskLogEntry, RiskLogEntrySchema, type RiskVerdict, RiskVerdictSchema } from '../domain/schemas/risk';
import { AnalyseRiskInputSchema, type AnalyseRiskInput } from '../domain/schemas/steps';
import { loadSnapshot } from './analyst';
import { llmOf, type ActivityDeps } from './deps';
import { inputOf } from './validate';

/** M-A: the deterministic checks; an optional LLM review may add reasons, never lift a hard fail. */
export async function analyseRiskStep(deps: ActivityDeps, raw: AnalyseRiskInput): Promise<RiskVerdict> {
  const input = inputOf(deps, AnalyseRiskInputSchema, raw);
  const verdict = analyseRisk(input, await loadSnapshot(deps, input.snapshotRef));
  if (!deps.llmRiskReview || input.ctx.heuristicOnly || verdict.status === 'hard_fail') {
    return RiskVerdictSchema.parse(verdict);
  }
  const llm = llmOf(deps, input.ctx);
  if (llm.provider === 'heuristic') return RiskVerdictSchema.parse(verdict);
  const reviewed = await llm.reason<LlmRiskReview>({
    step: 'M-A',
    sessionId: input.ctx.sessionId,
    iterationId: input.ctx.iterationId,
    agentId: input.agent.id,
    model: input.agent.model,
    schema: LlmRiskReviewAnswerSchema,
    ...buildRiskReviewPrompt(input, verdict),
    heuristic: () => ({ concerns: [], severity: 'none' }),
  });
  return RiskVerdictSchema.parse({ ...mergeLlmReview(verdict, reviewed.value), usage: reviewed.provenance.usage });
}

/** M-B: the durable risk log line, idempotent by iteration and attempt. */
export async function logRisk(deps: ActivityDeps, raw: RiskLogEntry): Promise<{ written: boolean }> {
  return deps.riskLog.append(inputOf(deps, RiskLogEntrySchema, raw));
}
