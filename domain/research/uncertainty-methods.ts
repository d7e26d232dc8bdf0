import { type MarketSnapshot } from '../schemas/market';
import { type Uncertainty } from '../schemas/research';
import { type UncertaintyInput } from '../schemas/steps';
import { readAtr, readVolPerBar } from './feature-reader';
import { BARS_PER_YEAR_4H, clamp, stdev } from './math';
import { findMethod, type MethodDefinition } from '../methods/method-definition';
import { mergeParams, readParam } from './method-params';
import { computeAtr, computeEwmaVol, computeGaussianVar, computeHistoricalVar, computeLogReturns } from './risk-stats';

/** R-B inventory. Every method fills every field; it decides which vol is primary and how far the stop sits. */
export const UNCERTAINTY_METHODS: readonly MethodDefinition[] = [
  {
    id: 'ewma_vol',
    description:
      'RiskMetrics EWMA vol (lambda 0.94) is primary; Gaussian VaR/CVaR on it; stop = stopSigma · sigma · close.',
    params: { lambda: 0.94, window: 500, stopSigma: 2.5 },
    tags: ['high_vol'],
  },
  {
    id: 'historical_var',
    description:
      'Historical-simulation VaR/CVaR95 of 4h log returns over `window` bars; sample sd is primary; stop = stopCvar · CVaR · close.',
    params: { window: 500, stopCvar: 1.2 },
    tags: [],
  },
  {
    id: 'atr_stop',
    description: 'Wilder ATR(period) sets the stop at atrMult ATRs; sample sd and historical VaR/CVaR fill the rest.',
    params: { period: 14, atrMult: 2, window: 500 },
    tags: ['trend_up', 'trend_down', 'range'],
  },
];

/** Smallest stop allowed, as a fraction of price: the schema needs a positive distance even on a flat tape. */
const MIN_STOP_FRACTION = 1e-4;

/** R-B: volatility, VaR/CVaR95, ATR and a stop distance from the candles as of the bar close. Pure. */
export function quantifyUncertainty(snapshot: MarketSnapshot, input: UncertaintyInput): Uncertainty {
  const def = findMethod(UNCERTAINTY_METHODS, 'R-B', input.method.id);
  const params = mergeParams(def.params, input.method.params);
  const values = input.analysis.features.values;
  const window = Math.max(2, Math.round(readParam(params, 'window', 500)));
  // Only candles closed by the bar close count (the snapshot should hold nothing later; this makes sure).
  const closed = snapshot.candles.filter((c) => c.t < snapshot.barCloseMs);
  const candles = closed.slice(-(window + 1));
  const returns = computeLogReturns(candles);
  const close = candles.at(-1)?.close ?? input.analysis.snapshot.bar.close;
  const fallbackVol = readVolPerBar(values);
  const enough = returns.length >= 2;
  const sampleVol = enough ? stdev(returns) : fallbackVol;
  const period = Math.max(1, Math.round(readParam(params, 'period', 14)));
  const atr = computeAtr(closed.slice(-(period * 10 + 1)), period) ?? readAtr(values) ?? close * fallbackVol * 1.25;
  const historical = enough ? computeHistoricalVar(returns, 0.05) : computeGaussianVar(fallbackVol);

  let volPerBar: number;
  let tail: { var: number; cvar: number };
  let stop: number;
  switch (def.id) {
    case 'ewma_vol': {
      volPerBar = enough ? computeEwmaVol(returns, clamp(readParam(params, 'lambda', 0.94), 0.5, 0.999)) : fallbackVol;
      tail = computeGaussianVar(volPerBar);
      stop = readParam(params, 'stopSigma', 2.5) * volPerBar * close;
      break;
    }
    case 'historical_var': {
      volPerBar = sampleVol;
      tail = historical;
      stop = readParam(params, 'stopCvar', 1.2) * tail.cvar * close;
      break;
    }
    default: {
      volPerBar = sampleVol;
      tail = historical;
      stop = readParam(params, 'atrMult', 2) * atr;
    }
  }
  return {
    agentId: input.agent.id,
    method: def.id,
    volPerBar,
    annualVol: volPerBar * Math.sqrt(BARS_PER_YEAR_4H),
    var95: tail.var,
    cvar95: Math.max(tail.cvar, tail.var),
    atr: Math.max(0, atr),
    stopDistance: Number.isFinite(stop) && stop > close * MIN_STOP_FRACTION ? stop : close * MIN_STOP_FRACTION,
  };
}
