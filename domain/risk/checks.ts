import type { MarketSnapshot } from '../schemas/market';
import type { RiskCheckResult, RiskVerdict } from '../schemas/risk';
import type { AnalyseRiskInput } from '../schemas/steps';
import { findStaleness } from '../market/freshness';
import { BAR_MS } from '../schemas/config';
import { ACCOUNT_CHECKS } from './account-checks';
import { DATA_CHECKS } from './data-checks';
import { ORDER_CHECKS } from './order-checks';
import type { RiskCheck, RiskCheckContext } from './risk-check';
import { getBarReturns, getEntryPrice } from './risk-math';
import { resolveRiskMethod } from './risk-methods';
import { findStyleProblems } from './style-fit';

export type { RiskCheck, RiskCheckContext } from './risk-check';
export {
  RISK_METHODS,
  RISK_METHOD_IDS,
  resolveRiskMethod,
  type RiskMethod,
  type ResolvedRiskMethod,
} from './risk-methods';

/** The M-A inventory: account state first (it decides alone), then the order's numbers. */
export const RISK_CHECKS: readonly RiskCheck[] = [...ACCOUNT_CHECKS, ...DATA_CHECKS, ...ORDER_CHECKS];

/** Builds the check context from the step input and the full snapshot. */
export function buildRiskCheckContext(
  input: AnalyseRiskInput,
  snapshot: MarketSnapshot,
): RiskCheckContext & { maintenanceMarginRate: number } {
  const method = resolveRiskMethod(input.method, input.limits);
  return {
    limits: method.limits,
    risk: input.risk,
    account: input.account,
    atr: input.research.Risk.atr,
    barCloseMs: input.ctx.barCloseMs,
    returns: getBarReturns(snapshot.candles, method.cvarLookbackBars),
    fallbackCvar95: input.research.Risk.cvar95,
    cvarWeight: method.cvarWeight,
    maintenanceMarginRate: method.maintenanceMarginRate,
    staleness: findStaleness(snapshot.candles, input.ctx.barCloseMs, BAR_MS),
  };
}

/**
 * M-A: any hard breach → hard_fail; else any soft breach → soft_fail, restarting at T-A when the
 * style itself cannot produce a compliant order, else at T-B; else pass. Reasons are fed back to
 * the trader as `feedback`, so each one states the numbers and what to change.
 */
export function analyseRisk(input: AnalyseRiskInput, snapshot: MarketSnapshot): RiskVerdict {
  const ctx = buildRiskCheckContext(input, snapshot);
  const checks: RiskCheckResult[] = RISK_CHECKS.map((check) => check.run(input.order, ctx));
  const hard = checks.filter((c) => !c.ok && c.severity === 'hard').map((c) => c.reason);
  const soft = checks.filter((c) => !c.ok && c.severity === 'soft').map((c) => c.reason);
  if (hard.length > 0) return { status: 'hard_fail', reasons: [...hard, ...soft], checks };
  if (soft.length === 0) return { status: 'pass', checks };
  const styleProblems = findStyleProblems({
    style: input.style,
    limits: ctx.limits,
    side: input.order.direction,
    entry: getEntryPrice(input.order),
    atr: ctx.atr,
    maintenanceMarginRate: ctx.maintenanceMarginRate,
  });
  if (styleProblems.length > 0)
    return { status: 'soft_fail', reasons: [...styleProblems, ...soft], retryFrom: 'T-A', checks };
  return { status: 'soft_fail', reasons: soft, retryFrom: 'T-B', checks };
}
