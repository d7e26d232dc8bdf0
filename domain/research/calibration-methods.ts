import { type Calibration } from '../schemas/research';
import { type CalibrateInput } from '../schemas/steps';
import {
  applyIsotonic,
  applyPlatt,
  type CalibrationPoint,
  computeShrinkWeight,
  fitIsotonic,
  fitPlatt,
} from './calibrators';
import { clamp } from './math';
import { findMethod, type MethodDefinition } from '../methods/method-definition';
import { mergeParams, readParam } from './method-params';

/** R-C inventory; each is fitted on the agent's own matured forecasts, newest `window` of them. */
export const CALIBRATION_METHODS: readonly MethodDefinition[] = [
  {
    id: 'platt',
    description: 'Logistic fit of outcome on logit(pRaw) (Newton/IRLS) with a ridge toward the identity map.',
    params: { ridge: 2, minHistory: 20, window: 1000, k: 20, priorTrust: 0.5, pFloor: 0.02 },
    tags: [],
  },
  {
    id: 'isotonic',
    description: 'Pool-adjacent-violators: a monotone step map from raw to observed frequency; needs more history.',
    params: { minHistory: 20, window: 1000, k: 20, priorTrust: 0.5, pFloor: 0.02 },
    tags: [],
  },
  {
    id: 'shrinkage',
    description: 'Shrinks toward 0.5 by w = n/(n+k)·skill + k/(n+k)·priorTrust; robust with little history.',
    params: { window: 1000, k: 20, priorTrust: 0.5, pFloor: 0.02 },
    tags: [],
  },
];

/**
 * R-C: maps the raw forecast probability through a calibrator fitted on the agent's own matured
 * forecasts. Platt and isotonic need `minHistory` points; with fewer they fall back to shrinkage
 * toward 0.5, which is what little evidence supports. With `enabled: false` (config.learning.calibration
 * off) the raw probability passes through unchanged. Pure.
 */
export function calibrate(input: CalibrateInput): Calibration {
  const def = findMethod(CALIBRATION_METHODS, 'R-C', input.method.id);
  const params = mergeParams(def.params, input.method.params);
  const window = Math.max(1, Math.round(readParam(params, 'window', 1000)));
  const points: CalibrationPoint[] = input.history
    .slice(-window)
    .filter((h) => Number.isFinite(h.pRaw))
    .map((h) => ({ pRaw: clamp(h.pRaw, 0, 1), outcome: h.outcome }));
  const pRaw = clamp(input.forecast.pUp, 0, 1);
  // Calibration switched off (experiment arm no-calibration): the raw probability passes through.
  if (input.enabled === false) return { agentId: input.agent.id, method: def.id, pRaw, pCalibrated: pRaw, nHistory: 0 };
  const shrink = (): number =>
    0.5 + (pRaw - 0.5) * computeShrinkWeight(points, readParam(params, 'k', 20), readParam(params, 'priorTrust', 0.5));
  const enough = points.length >= readParam(params, 'minHistory', 20);
  let p: number;
  if (def.id === 'platt' && enough) p = applyPlatt(fitPlatt(points, readParam(params, 'ridge', 2)), pRaw);
  else if (def.id === 'isotonic' && enough) p = applyIsotonic(fitIsotonic(points), pRaw);
  else p = shrink();
  // No calibrator should claim certainty from a finite history.
  const floor = clamp(readParam(params, 'pFloor', 0.02), 0, 0.49);
  return {
    agentId: input.agent.id,
    method: def.id,
    pRaw,
    pCalibrated: clamp(p, floor, 1 - floor),
    nHistory: points.length,
  };
}
