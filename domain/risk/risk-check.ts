import type { Account } from '../schemas/account';
import type { RiskLimits } from '../schemas/config';
import type { RiskCheckResult } from '../schemas/risk';
import type { RiskContext } from '../schemas/steps';
import type { Order } from '../schemas/trade';

/** What every check may look at besides the order. Plain data, built once per analysis. */
export interface RiskCheckContext {
  /** Limits after the risk method's adjustments. */
  limits: RiskLimits;
  risk: RiskContext;
  account: Account;
  /** ATR in price units (research.Risk.atr). */
  atr: number;
  barCloseMs: number;
  /** One-bar (4h) simple returns of the snapshot, oldest first. */
  returns: readonly number[];
  /** research.Risk.cvar95 (fraction of price): the CVaR used when the snapshot is too short. */
  fallbackCvar95: number;
  /** CVaR budget divisor of the tail-risk method (1 = as configured). */
  cvarWeight: number;
  /** Why the snapshot is stale or gapped (domain/market/freshness.ts); null or absent = fresh. */
  staleness?: string | null;
}

/** One deterministic check of the inventory. */
export interface RiskCheck {
  id: string;
  description: string;
  /** 'soft' = the trader can adjust the order; 'hard' = critical, the order is discarded. */
  severity: 'soft' | 'hard';
  run(order: Order, ctx: RiskCheckContext): RiskCheckResult;
}

/** Builds a check whose `run` only has to say whether it passed and why (with the numbers). */
export function defineCheck(
  id: string,
  severity: RiskCheck['severity'],
  description: string,
  evaluate: (order: Order, ctx: RiskCheckContext) => { ok: boolean; reason: string },
): RiskCheck {
  return {
    id,
    severity,
    description,
    run: (order, ctx) => ({ id, severity, ...evaluate(order, ctx) }),
  };
}
