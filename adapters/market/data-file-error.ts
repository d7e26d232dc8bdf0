import { ClassifiedError, FailureType } from '../../domain/failures';

/** Thrown when a market or news data file is missing or malformed; the message names the file and the 1-based line. */
export class DataFileError extends ClassifiedError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    reason: string,
  ) {
    super(FailureType.DataInvalid, line === null ? `${file}: ${reason}` : `${file}, line ${line}: ${reason}`, false);
    this.name = 'DataFileError';
  }
}
