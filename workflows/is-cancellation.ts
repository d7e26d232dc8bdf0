import type { IsCancellation } from '../domain/orchestration/steps';

const MAX_CAUSE_DEPTH = 6;

/**
 * True for Temporal cancellations anywhere in the cause chain (an activity or child failure wraps the
 * CancelledFailure): they must propagate. By name rather than `instanceof`, so the fast runner's
 * in-process calls (outside the workflow sandbox) tell them apart the same way the workflows do.
 */
export const isCancellation: IsCancellation = (err) => {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < MAX_CAUSE_DEPTH; depth++) {
    if ((cur as { name?: unknown }).name === 'CancelledFailure') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
};
