import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * An API key that cannot leak by accident: JSON.stringify, util.inspect, console.log, template strings
 * and spreads of the owning config all print "[redacted]". Only `reveal()` hands out the value, and the
 * only callers are the SDK constructors.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Removes secrets from text that may echo them (a provider's 401 body says "Incorrect API key
 * provided: sk-…"). Scrubs the exact keys and anything shaped like an OpenAI/Anthropic key.
 */
export function scrubSecrets(text: string, secrets: readonly (Secret | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    const value = secret?.reveal();
    if (value && value.length >= 4) out = out.split(value).join(REDACTED);
  }
  return out.replace(/\b(sk-[A-Za-z0-9_*.-]{4,}|Bearer\s+\S+)/g, REDACTED);
}
