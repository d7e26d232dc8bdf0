import { BAR_MS } from '../../../domain/schemas/config';
import type { MethodCatalog } from '../../../domain/population/catalog';
import { createPopulations } from '../../../domain/population/create-populations';
import type { Populations } from '../../../domain/schemas/agents';
import { EMPTY_LEARNING, type LearningState } from '../../../domain/schemas/learning';
import type { StepContext } from '../../../domain/schemas/steps';

export const CATALOG: MethodCatalog = {
  'A-B': [
    { id: 'basic', params: { lookback: 20 }, tags: [] },
    { id: 'vol-features', params: { lookback: 30 }, tags: ['high_vol'] },
  ],
  'A-C': [
    { id: 'ema-cross', params: { fast: 12, slow: 26 }, tags: [] },
    { id: 'adx', params: { period: 14, threshold: 25 }, tags: ['trend_up', 'trend_down'] },
    { id: 'range-band', params: { width: 1.5 }, tags: ['range'] },
    { id: 'donchian', params: { period: 20 }, tags: [] },
  ],
  'R-A': [
    { id: 'logistic', params: { l2: 0.1 }, tags: [] },
    { id: 'momentum', params: { k: 3 }, tags: [] },
  ],
  'R-B': [
    { id: 'ewma-vol', params: { lambda: 0.94 }, tags: [] },
    { id: 'garch', params: {}, tags: [] },
  ],
  'R-C': [
    { id: 'platt', params: {}, tags: [] },
    { id: 'isotonic', params: {}, tags: [] },
  ],
  'T-A': [
    { id: 'market-atr', params: { tp: 2, sl: 1 }, tags: [] },
    { id: 'limit-pullback', params: { tp: 3, sl: 1.5 }, tags: [] },
  ],
  'M-A': [
    { id: 'rules', params: { maxLev: 5 }, tags: [] },
    { id: 'strict', params: { maxLev: 3 }, tags: [] },
  ],
};

export const SIZES = { analyst: 3, researcher: 3, trader: 2, risk_manager: 1 };

export function makePopulations(seed = 7): Populations {
  return createPopulations(SIZES, CATALOG, seed);
}

export function makeLearning(patch: Partial<LearningState> = {}): LearningState {
  return { ...structuredClone(EMPTY_LEARNING), ...patch };
}

export { BAR_MS };
export const T0 = 1_700_000_000_000 - (1_700_000_000_000 % BAR_MS);

export function makeCtx(round: number): StepContext {
  return { sessionId: 's', iterationId: `i-${round}`, barCloseMs: T0 + round * BAR_MS, round, symbol: 'BTC/USDT:USDT' };
}

/** A hit series with round(rate·n) hits spread evenly over n outcomes, so any recent window has about the same rate. */
export function makeHits(rate: number, n: number): number[] {
  const hits = Math.round(rate * n);
  return Array.from({ length: n }, (_, i) => (Math.floor(((i + 1) * hits) / n) > Math.floor((i * hits) / n) ? 1 : 0));
}
