import type { LearningState } from '../schemas/learning';
import type { SkillSummary } from '../schemas/steps';
import { demonstratedSkill, meanBound } from './confidence-bounds';
import { NEUTRAL_METRIC } from './create-populations';
import { DEFAULT_RANK_WINDOW, researcherSkillBound } from './rank';

/** Brier skill lower bound at which a researcher's skill counts in full (5 points over the coin flip). */
export const FULL_BRIER_SKILL = 0.05;
/** Mean-R lower bound at which a trader's skill counts in full. */
export const FULL_MEAN_R = 0.5;

/**
 * The skill T-B sizes by (docs/sizing.md): the mean of the deciding researcher's and the trader's
 * demonstrated skill, each 0 until the one-sided 95% lower bound of its metric clears the neutral
 * value (Brier skill 0, mean R 0) and 1 once it clears it by FULL_BRIER_SKILL / FULL_MEAN_R. Over the
 * newest `window` matured forecasts and closed trades, like the leaderboard; the researcher's forecasts
 * overlap (one issued every bar over a horizon of up to FORECAST_OVERLAP bars), so its bound rests on
 * n / FORECAST_OVERLAP independent outcomes: a week's trend called right is not demonstrated skill. Pure.
 */
export function summarizeSkill(
  learning: LearningState,
  researcherId: string,
  traderId: string,
  window = DEFAULT_RANK_WINDOW,
): SkillSummary {
  const rs = (learning.traderR[traderId] ?? []).slice(-window);
  const research = researcherSkillBound(learning, researcherId);
  const trades = meanBound(rs);
  const r = demonstratedSkill(research, NEUTRAL_METRIC.researcher, FULL_BRIER_SKILL);
  const t = demonstratedSkill(trades, NEUTRAL_METRIC.trader, FULL_MEAN_R);
  const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'none');
  return {
    factor: (r + t) / 2,
    note:
      `${researcherId} Brier skill ${fmt(research.estimate)} (lower ${fmt(research.lower)}, n ${research.n}); ` +
      `${traderId} mean R ${fmt(trades.estimate)} (lower ${fmt(trades.lower)}, n ${trades.n})`,
  };
}
