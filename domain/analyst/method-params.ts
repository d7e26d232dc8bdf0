import type { MethodDefinition } from '../methods/method-definition';
import type { MethodChoice } from '../schemas/steps';

/**
 * Reads a parameter with its default. Lengths are rounded and clamped to >= min because
 * teaching blends parameters (a blend of 14 and 21 is 17.5, not a valid period).
 */
export function readIntParam(choice: MethodChoice, spec: MethodDefinition, key: string, min = 1): number {
  const v = choice.params[key] ?? spec.params[key] ?? min;
  return Number.isFinite(v) ? Math.max(min, Math.round(v)) : Math.max(min, Math.round(spec.params[key] ?? min));
}

/** Reads a real-valued parameter with its default. */
export function readParam(choice: MethodChoice, spec: MethodDefinition, key: string): number {
  const v = choice.params[key];
  return v !== undefined && Number.isFinite(v) ? v : (spec.params[key] ?? 0);
}
