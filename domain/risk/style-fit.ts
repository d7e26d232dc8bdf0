import type { RiskLimits } from '../schemas/config';
import type { ExecutionStyle, Side } from '../schemas/trade';
import { formatNumber as n, getLiquidationDistance } from './risk-math';

/** What the style-level check needs; all plain numbers. */
export interface StyleFitInput {
  style: ExecutionStyle;
  limits: RiskLimits;
  side: Side;
  entry: number;
  atr: number;
  maintenanceMarginRate: number;
}

/**
 * Problems no order built from this style can avoid, so the soft-fail loop must restart at T-A:
 * a leverage band starting above the max, or a stop plus liquidation buffer wider than the
 * liquidation distance even at the band's minimum leverage.
 */
export function findStyleProblems(input: StyleFitInput): string[] {
  const { style, limits, side, entry, atr, maintenanceMarginRate } = input;
  const problems: string[] = [];
  if (style.leverageMin > limits.maxLeverage) {
    problems.push(
      `style leverage band ${n(style.leverageMin)}–${n(style.leverageMax)} starts above max leverage ${n(limits.maxLeverage)}: choose a band within 1–${n(limits.maxLeverage)}`,
    );
  }
  const leverage = Math.min(style.leverageMin, limits.maxLeverage);
  const needed = (style.stopLossAtr + limits.liquidationBufferAtr) * atr;
  const available = getLiquidationDistance(entry, leverage, side, maintenanceMarginRate);
  if (atr > 0 && needed > available) {
    problems.push(
      `style stop ${n(style.stopLossAtr)} ATR + liquidation buffer ${n(limits.liquidationBufferAtr)} ATR = ${n(needed)} exceeds the liquidation distance ${n(available)} at leverage ${n(leverage)}: choose a tighter stop or a lower leverage band`,
    );
  }
  return problems;
}
