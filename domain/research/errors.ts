/** Thrown when research reports cannot be combined (none given, or weights that do not match them). */
export class ResearchCombineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResearchCombineError';
  }
}
