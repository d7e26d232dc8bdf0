import { sigmoid } from './math';

/** One training example: features (include a 1 for the bias yourself) and a 0/1 label. */
export interface LogisticRow {
  x: readonly number[];
  y: 0 | 1;
}

export interface SgdOptions {
  /** Passes over the rows, oldest first. @default 20 */
  epochs?: number;
  /** Step size of each update. @default 0.05 */
  learningRate?: number;
  /** Ridge strength pulling the weights toward the prior (not toward 0). @default 0.02 */
  l2?: number;
}

/**
 * Plain stochastic gradient descent on the log loss of p = sigmoid(w·x), visiting rows in their
 * given (chronological) order so the result is deterministic. The ridge pulls toward the prior
 * weights, so a short or noisy history leaves the model near its prior (MAP estimate with a Gaussian prior).
 */
export function fitLogisticSgd(
  rows: readonly LogisticRow[],
  prior: readonly number[],
  options: SgdOptions = {},
): number[] {
  const epochs = options.epochs ?? 20;
  const lr = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 0.02;
  const w = [...prior];
  for (let epoch = 0; epoch < epochs; epoch++) {
    // 1/sqrt(t) decay keeps late passes from undoing what early ones learned.
    const step = lr / Math.sqrt(1 + epoch);
    for (const row of rows) {
      let z = 0;
      for (let j = 0; j < w.length; j++) z += (w[j] ?? 0) * (row.x[j] ?? 0);
      const err = sigmoid(z) - row.y;
      for (let j = 0; j < w.length; j++) {
        const grad = err * (row.x[j] ?? 0) + l2 * ((w[j] ?? 0) - (prior[j] ?? 0));
        w[j] = (w[j] ?? 0) - step * grad;
      }
    }
  }
  return w;
}
