/** Thrown when a step is asked to run a method id that its inventory does not define. */
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

/** Thrown when research reports cannot be combined (none given, or weights that do not match them). */
export class ResearchCombineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResearchCombineError';
  }
}
