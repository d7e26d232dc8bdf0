import { LlmRiskReviewSchema, type LlmRiskReview } from '../schemas/risk-review';
import type { RiskVerdict } from '../schemas/risk';
import type { AnalyseRiskInput } from '../schemas/steps';
import { formatNumber as n } from './risk-math';

export { LlmRiskReviewSchema, type LlmRiskReview };

/** Prefix of reasons the LLM added, so the log tells them from the deterministic checks. */
export const LLM_REASON_PREFIX = 'LLM review: ';

/** Longest concern kept: reasons are fed back to the trader and stored in the risk log. */
const MAX_CONCERN_CHARS = 240;

export interface RiskReviewPrompt {
  system: string;
  user: string;
  schemaHint: string;
}

export const RISK_REVIEW_SCHEMA_HINT =
  '{"concerns": string[] (at most 5, each one sentence naming the number that worries you and the change you want), ' +
  '"severity": "none" | "soft" ("soft" = the order should be adjusted before trading; "none" = no objection)}';

/**
 * Prompt for the optional LLM review of an order. The deterministic verdict is included so the
 * model looks for what the checks cannot see (news, regime, crowding) instead of repeating them.
 */
export function buildRiskReviewPrompt(input: AnalyseRiskInput, verdict?: RiskVerdict): RiskReviewPrompt {
  const { order, research, style, risk, limits } = input;
  const system = [
    'You are the risk manager of a BTC/USDT perpetual trading desk.',
    'Deterministic checks have already enforced the numeric limits; you cannot approve what they reject.',
    'Raise a concern only when something specific in the order or research makes it unsafe to trade as is.',
    `Answer with JSON only: ${RISK_REVIEW_SCHEMA_HINT}`,
  ].join('\n');
  const facts = {
    order: {
      direction: order.direction,
      orderType: order.orderType,
      size: order.size,
      currentPrice: order.currentPrice,
      limitPrice: order.limitPrice,
      takeProfit: order.takeProfit,
      stopLoss: order.stopLoss,
      leverage: order.leverage,
      liquidationPrice: order.liquidationPrice,
      confidence: order.confidence,
      horizonBars: order.horizonBars,
    },
    style: {
      method: style.method,
      stopLossAtr: style.stopLossAtr,
      takeProfitAtr: style.takeProfitAtr,
      leverage: [style.leverageMin, style.leverageMax],
    },
    market: research.Market_State,
    forecast: research.Forecast,
    risk: research.Risk,
    recommendation: research.Recommendation,
    drivers: research.Explainability.drivers,
    account: {
      equity: n(risk.equity),
      peakEquity: n(risk.peakEquity),
      dayStartEquity: n(risk.dayStartEquity),
      consecutiveLosses: risk.consecutiveLosses,
    },
    limits,
  };
  const checks = verdict
    ? verdict.checks.map((c) => `- [${c.ok ? 'ok' : c.severity}] ${c.id}: ${c.reason}`).join('\n')
    : '(not run)';
  const user = `Order and context:\n${JSON.stringify(facts, null, 2)}\n\nDeterministic checks:\n${checks}\n\nReview the order.`;
  return { system, user, schemaHint: RISK_REVIEW_SCHEMA_HINT };
}

function appendUnique(reasons: readonly string[], extra: readonly string[]): string[] {
  return [...reasons, ...extra.filter((r) => !reasons.includes(r))];
}

/**
 * Merges an LLM review into the deterministic verdict. The review can only add reasons or turn a
 * pass into a soft_fail (retry at T-B); it can never loosen a verdict. An invalid review is ignored.
 */
export function mergeLlmReview(verdict: RiskVerdict, review: unknown): RiskVerdict {
  const parsed = LlmRiskReviewSchema.safeParse(review);
  if (!parsed.success) return verdict;
  const concerns = parsed.data.concerns
    .map((c) => c.trim())
    .filter((c) => c.length > 0)
    .map((c) => LLM_REASON_PREFIX + c.slice(0, MAX_CONCERN_CHARS));
  switch (verdict.status) {
    case 'hard_fail':
    case 'soft_fail':
      return { ...verdict, reasons: appendUnique(verdict.reasons, concerns) };
    case 'pass':
      if (parsed.data.severity !== 'soft' || concerns.length === 0) return verdict;
      return { status: 'soft_fail', reasons: concerns, retryFrom: 'T-B', checks: verdict.checks };
  }
}
