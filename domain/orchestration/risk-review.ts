import { addUsage, type LlmUsage, ZERO_USAGE } from '../schemas/llm';
import type { RiskLogEntry, RiskReviewResult, RiskVerdict } from '../schemas/risk';
import type { RiskReviewInput } from '../schemas/steps';
import { withLlmFallback, withLlmFallbackCharged } from './llm-fallback';
import type { Steps } from './steps';

export type RiskReviewSteps = Pick<Steps, 'analyseRisk' | 'logRisk' | 'buildOrder' | 'chooseStyle'>;

/**
 * The soft-fail loop: M-A judges the candidate; pass → approved; hard_fail → rejected; soft_fail →
 * regenerate with the reasons (T-B, or T-A then T-B when the style is the problem), at most
 * `maxSoftFails` times, then hard fail. Every attempt's verdict goes to M-B, keyed by iteration and attempt.
 * `stopRequested` lets the emergency stop end the loop between steps.
 */
export async function runRiskReview(
  steps: RiskReviewSteps,
  input: RiskReviewInput,
  stopRequested: () => boolean = () => false,
): Promise<RiskReviewResult> {
  const { ctx, trader, riskManager } = input;
  let proposal = input.firstProposal;
  let style = input.style;
  const verdicts: RiskVerdict[] = [];
  let usage: LlmUsage = ZERO_USAGE;
  const log = (attempt: number, verdict: RiskVerdict, order: RiskLogEntry['order']) =>
    steps.logRisk({
      key: `${ctx.iterationId}#${attempt}`,
      sessionId: ctx.sessionId,
      iterationId: ctx.iterationId,
      attempt,
      barCloseMs: ctx.barCloseMs,
      riskManagerId: riskManager.id,
      traderId: trader.id,
      verdict,
      order,
    });

  for (let attempt = 0; ; attempt++) {
    if (stopRequested())
      return { outcome: 'rejected', order: null, attempts: attempt, verdicts, reason: 'emergency stop', usage };
    if (proposal.kind === 'stand_aside')
      return { outcome: 'no_trade', order: null, attempts: attempt, verdicts, reason: proposal.reason, usage };
    const order = proposal.order;
    // The optional LLM review only adds reasons: if it fails for good, the deterministic checks judge alone.
    const verdict = await withLlmFallbackCharged(
      (i) => steps.analyseRisk(i),
      {
        ctx,
        agent: riskManager,
        method: input.riskMethod,
        order,
        research: input.research,
        style,
        account: input.account,
        risk: input.risk,
        limits: input.limits,
        snapshotRef: input.snapshot.ref,
      },
      (v, charged) => ({ ...v, usage: addUsage(v.usage ?? ZERO_USAGE, charged) }),
    );
    usage = addUsage(usage, verdict.usage ?? ZERO_USAGE);
    if (verdict.status === 'soft_fail' && attempt >= input.maxSoftFails) {
      const exhausted: RiskVerdict = {
        status: 'hard_fail',
        checks: verdict.checks,
        reasons: [`soft-fail limit reached after ${attempt + 1} attempt(s)`, ...verdict.reasons],
      };
      verdicts.push(exhausted);
      await log(attempt, exhausted, order);
      return {
        outcome: 'rejected',
        order: null,
        attempts: attempt + 1,
        verdicts,
        reason: exhausted.reasons.join('; '),
        usage,
      };
    }
    verdicts.push(verdict);
    await log(attempt, verdict, order);
    if (verdict.status === 'pass')
      return { outcome: 'approved', order, attempts: attempt + 1, verdicts, reason: 'all risk checks passed', usage };
    if (verdict.status === 'hard_fail')
      return {
        outcome: 'rejected',
        order: null,
        attempts: attempt + 1,
        verdicts,
        reason: verdict.reasons.join('; '),
        usage,
      };

    const feedback = verdict.reasons;
    if (verdict.retryFrom === 'T-A') {
      style = await withLlmFallback((i) => steps.chooseStyle(i), {
        ctx,
        agent: trader,
        method: input.styleMethod,
        research: input.research,
        snapshot: input.snapshot,
        feedback,
      });
      usage = addUsage(usage, style.provenance.usage);
    }
    proposal = await steps.buildOrder({
      ctx,
      agent: trader,
      attempt: attempt + 1,
      research: input.research,
      style,
      account: input.account,
      limits: input.limits,
      costs: input.costs,
      feedback,
      sizing: input.sizing,
      skill: input.skill,
    });
  }
}
