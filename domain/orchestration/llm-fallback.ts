import { isLlmFailure } from '../failures';
import type { StepContext } from '../schemas/steps';

/** Failure type of an activity/child failure or a ClassifiedError, wherever it sits in the cause chain. */
export function failureTypeOf(err: unknown): string | null {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const type = (cur as { type?: unknown }).type;
    if (typeof type === 'string') return type;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Runs an LLM-backed step; if the LLM fails for good (`Llm.*`, e.g. invalid output after repairs),
 * runs the same step again with the offline reasoner. The fallback result says so in its provenance.
 */
export async function withLlmFallback<I extends { ctx: StepContext }, O>(call: (input: I) => Promise<O>, input: I): Promise<O> {
  try {
    return await call(input);
  } catch (err) {
    if (!isLlmFailure(failureTypeOf(err))) throw err;
    return call({ ...input, ctx: { ...input.ctx, heuristicOnly: true } });
  }
}

/** True for Temporal cancellations (by name, so domain/ needs no SDK import): they must propagate. */
export function isCancellation(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    if ((cur as { name?: unknown }).name === 'CancelledFailure') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
