import type { MethodChoice } from '../schemas/steps';

/** One entry of an analyst method catalogue (A-B features or A-C trend). */
export interface MethodSpec {
  id: string;
  description: string;
  /** Default numeric parameters; a MethodChoice may override (teaching blends them). */
  params: Record<string, number>;
  tags: string[];
}

/** Thrown when a MethodChoice names a method that is not in the catalogue. */
export class UnknownMethodError extends Error {
  constructor(readonly step: string, readonly methodId: string, known: readonly string[]) {
    super(`${step}: unknown method '${methodId}' (known: ${known.join(', ')})`);
    this.name = 'UnknownMethodError';
  }
}

/** Finds a method spec by id or throws {@link UnknownMethodError}. */
export function findMethod(step: string, catalogue: readonly MethodSpec[], id: string): MethodSpec {
  const spec = catalogue.find((m) => m.id === id);
  if (!spec) throw new UnknownMethodError(step, id, catalogue.map((m) => m.id));
  return spec;
}

/**
 * Reads a parameter with its default. Lengths are rounded and clamped to >= min because
 * teaching blends parameters (a blend of 14 and 21 is 17.5, not a valid period).
 */
export function readIntParam(choice: MethodChoice, spec: MethodSpec, key: string, min = 1): number {
  const v = choice.params[key] ?? spec.params[key] ?? min;
  return Number.isFinite(v) ? Math.max(min, Math.round(v)) : Math.max(min, Math.round(spec.params[key] ?? min));
}

/** Reads a real-valued parameter with its default. */
export function readParam(choice: MethodChoice, spec: MethodSpec, key: string): number {
  const v = choice.params[key];
  return v !== undefined && Number.isFinite(v) ? v : (spec.params[key] ?? 0);
}
