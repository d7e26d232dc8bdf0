import { UnknownMethodError } from './errors';

/** One entry of a step's method inventory: defaults that teaching may blend, tags for regime fit. */
export interface MethodDefinition {
  readonly id: string;
  readonly description: string;
  /** Default numeric parameters; a MethodChoice's params override them key by key. */
  readonly params: Record<string, number>;
  /** Regimes the method suits; empty = general purpose. */
  readonly tags: string[];
}

/** Finds a method by id or throws {@link UnknownMethodError}. */
export function findMethod<T extends MethodDefinition>(inventory: readonly T[], step: string, id: string): T {
  const found = inventory.find((m) => m.id === id);
  if (found === undefined) throw new UnknownMethodError(step, id, inventory.map((m) => m.id));
  return found;
}

/** Defaults overlaid with the chosen params; non-finite overrides are ignored. */
export function mergeParams(defaults: Readonly<Record<string, number>>, overrides: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

/** Reads a param that is known to exist in the defaults (noUncheckedIndexedAccess-friendly). */
export function readParam(params: Readonly<Record<string, number>>, key: string, fallback: number): number {
  const v = params[key];
  return v !== undefined && Number.isFinite(v) ? v : fallback;
}

/** Cuts text to the schema's 600-character rationale limit. */
export function truncateText(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
