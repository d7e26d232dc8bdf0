/**
 * The one method definition of every step that picks a method (analyst, research, trader): the
 * catalogue entry and the error for an id the catalogue lacks, so a bad id fails the same way everywhere.
 */

/** One entry of a step's method catalogue: defaults that teaching may blend, tags for regime fit. */
export interface MethodDefinition {
  readonly id: string;
  readonly description: string;
  /** Default numeric parameters; a MethodChoice's params override them key by key (teaching blends them). */
  readonly params: Record<string, number>;
  /** Regimes the method suits; empty = general purpose. */
  readonly tags: string[];
}

/** Thrown when a step is asked to run a method id that its catalogue does not define. */
export class UnknownMethodError extends Error {
  constructor(
    readonly step: string,
    readonly methodId: string,
    known: readonly string[],
  ) {
    super(`${step}: unknown method '${methodId}' (known: ${known.join(', ')})`);
    this.name = 'UnknownMethodError';
  }
}

/** Finds a method by id or throws {@link UnknownMethodError}. */
export function findMethod<T extends MethodDefinition>(catalogue: readonly T[], step: string, id: string): T {
  const found = catalogue.find((m) => m.id === id);
  if (found === undefined)
    throw new UnknownMethodError(
      step,
      id,
      catalogue.map((m) => m.id),
    );
  return found;
}
