import type { RiskLimits } from '../schemas/config';
import type { MethodChoice } from '../schemas/steps';
import { DEFAULT_MAINTENANCE_MARGIN_RATE } from './risk-math';

/** One M-A method of the risk manager's inventory. */
export interface RiskMethod {
  id: string;
  description: string;
  /** Default numeric parameters; a MethodChoice's params override them (teaching blends params). */
  params: Readonly<Record<string, number>>;
  /** Regimes the method is specialised for; empty = general purpose. */
  tags: readonly string[];
}

export const RISK_METHOD_IDS = { standard: 'standard', conservative: 'conservative', tailRisk: 'tail_risk' } as const;

/** Parameters every method understands. */
const COMMON_PARAMS = {
  /** One-bar returns behind the historical CVaR: 540 × 4h = 90 days. */
  cvarLookbackBars: 540,
  maintenanceMarginRate: DEFAULT_MAINTENANCE_MARGIN_RATE,
} as const;

export const RISK_METHODS: readonly RiskMethod[] = [
  {
    id: RISK_METHOD_IDS.standard,
    description: 'Every check at the configured limits.',
    params: { ...COMMON_PARAMS, tighten: 1, cvarWeight: 1 },
    tags: [],
  },
  {
    id: RISK_METHOD_IDS.conservative,
    description:
      'Soft limits multiplied by `tighten` (leverage, notional, margin, risk per trade, CVaR); liquidation buffer divided by it.',
    params: { ...COMMON_PARAMS, tighten: 0.75, cvarWeight: 1 },
    tags: [],
  },
  {
    id: RISK_METHOD_IDS.tailRisk,
    description: 'Historical CVaR weighted by `cvarWeight` (budget divided by it), for volatile regimes.',
    params: { ...COMMON_PARAMS, tighten: 1, cvarWeight: 1.5 },
    tags: ['high_vol'],
  },
];

/** Limits and knobs a method resolves to for one analysis. */
export interface ResolvedRiskMethod {
  methodId: string;
  limits: RiskLimits;
  cvarWeight: number;
  cvarLookbackBars: number;
  maintenanceMarginRate: number;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Applies a method choice to the configured limits. Unknown ids run as `standard` with the given params. */
export function resolveRiskMethod(choice: MethodChoice, limits: RiskLimits): ResolvedRiskMethod {
  const base = RISK_METHODS.find((m) => m.id === choice.id) ?? RISK_METHODS[0];
  const params = { ...base?.params, ...choice.params };
  // Clamped so a blended or mistyped parameter can loosen nothing and never zero a limit.
  const tighten = clamp(params['tighten'] ?? 1, 0.1, 1);
  const cvarWeight = clamp(params['cvarWeight'] ?? 1, 1, 10);
  const tightened: RiskLimits = {
    ...limits,
    maxLeverage: Math.max(1, limits.maxLeverage * tighten),
    maxNotionalToEquity: limits.maxNotionalToEquity * tighten,
    maxRiskPerTrade: limits.maxRiskPerTrade * tighten,
    maxMarginUsage: limits.maxMarginUsage * tighten,
    cvarBudget: limits.cvarBudget * tighten,
    liquidationBufferAtr: limits.liquidationBufferAtr / tighten,
  };
  return {
    methodId: base?.id ?? RISK_METHOD_IDS.standard,
    limits: tightened,
    cvarWeight,
    cvarLookbackBars: Math.max(2, Math.round(params['cvarLookbackBars'] ?? COMMON_PARAMS.cvarLookbackBars)),
    maintenanceMarginRate: clamp(params['maintenanceMarginRate'] ?? DEFAULT_MAINTENANCE_MARGIN_RATE, 0, 0.5),
  };
}
