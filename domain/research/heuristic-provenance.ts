import { type Provenance, ZERO_USAGE } from '../schemas/llm';

/** Provenance of a pure heuristic: nothing was called, nothing was stored, nothing was spent. */
export const HEURISTIC_PROVENANCE: Provenance = {
  source: 'heuristic',
  hash: null,
  model: null,
  warning: null,
  usage: ZERO_USAGE,
};

/** A fresh copy, so callers may not alias one shared object into several outputs. */
export function makeHeuristicProvenance(): Provenance {
  return { ...HEURISTIC_PROVENANCE, usage: { ...ZERO_USAGE } };
}
