import { ClassifiedError, FailureType } from '../../domain/failures';

/** Largest delay Node's timers accept (2^31 − 1 ms, about 24.8 days); beyond it a timeout fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Thrown when an environment variable holds a value the desk cannot use; the message names the variable. */
export class EnvConfigError extends ClassifiedError {
  constructor(message: string) {
    super(FailureType.ConfigInvalid, message, false);
    this.name = 'EnvConfigError';
  }
}

/** The variable's trimmed value; empty counts as unset. */
export function readEnvString(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** true/false/1/0 only (any case): 'yes', 'on' or a typo is refused rather than read as false. */
export function readEnvBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = readEnvString(env, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0') return false;
  throw new EnvConfigError(`${name} must be true, false, 1 or 0, got "${value}"`);
}

export interface NumberRule {
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound (for "positive"). */
  above?: number;
  max?: number;
  /** How the rule reads in the message: "a positive integer", "a number from 0 to 2". */
  describe: string;
}

/** A number variable checked against its rule; the error names the variable and the rule. */
export function readEnvNumber(env: NodeJS.ProcessEnv, name: string, rule: NumberRule): number | undefined {
  const value = readEnvString(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isSafeInteger(n)) &&
    (rule.min === undefined || n >= rule.min) &&
    (rule.above === undefined || n > rule.above) &&
    (rule.max === undefined || n <= rule.max);
  if (!ok) throw new EnvConfigError(`${name} must be ${rule.describe}, got "${value}"`);
  return n;
}
