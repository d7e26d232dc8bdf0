/** Parses an integer command-line flag strictly: `--seed abc` or `--walk-forward 2.5` is refused with the flag's name. */
export function parseIntegerFlag(flag: string, text: string, min = Number.MIN_SAFE_INTEGER): number {
  const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    const rule =
      min === Number.MIN_SAFE_INTEGER ? 'an integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    throw new Error(`${flag} must be ${rule}, got '${text}'`);
  }
  return value;
}
