import type { z } from 'zod';

/**
 * Cross-field agreement of an LLM answer: what the schema cannot say field by field (a probability
 * of up with a negative expected return, a leverage outside the chosen style's band). A broken rule is
 * a zod issue marked as a contradiction, so validation tells "schema-valid but self-contradictory"
 * apart from "malformed", counts it (`LlmUsage.contradictions`) and falls back with `Llm.Contradiction`.
 */

/** The marker a contradiction issue carries in its `params`. */
const CONTRADICTION = 'contradiction';

/** Adds a contradiction issue at `path`; the message goes back verbatim in the repair prompt. */
export function addContradiction(
  ctx: z.core.$RefinementCtx,
  path: readonly (string | number)[],
  message: string,
): void {
  ctx.addIssue({
    code: 'custom',
    path: [...path],
    message: `contradiction: ${message}`,
    params: { kind: CONTRADICTION },
  });
}

/** True when the issue was raised by an agreement rule rather than by the field contract. */
export function isContradiction(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && (issue.params as { kind?: unknown } | undefined)?.kind === CONTRADICTION;
}

/**
 * pUp this far from 0.5 states a direction. Inside the dead band a small expected return of either
 * sign is no contradiction: pUp is about the median close, expectedReturn about the mean, and skew
 * can part them a little.
 */
export const DIRECTION_DEAD_BAND = 0.05;

export type StatedDirection = 'up' | 'down' | 'none';

/** The direction a probability of up states, with the dead band around 0.5. */
export function directionOfProbability(pUp: number): StatedDirection {
  if (pUp >= 0.5 + DIRECTION_DEAD_BAND) return 'up';
  if (pUp <= 0.5 - DIRECTION_DEAD_BAND) return 'down';
  return 'none';
}

const UP_WORDS =
  /\b(increase[sd]?|increasing|rises?|rising|rall(y|ies|ying)|bullish|upside|upward|uptrend|higher|climb(s|ing)?|gains?)\b/i;
const DOWN_WORDS =
  /\b(decrease[sd]?|decreasing|declines?|declining|falls?|falling|drops?|dropping|bearish|downside|downward|downtrend|lower|sell-?off|slump(s|ing)?)\b/i;
/** Negations and concessions flip or mix the sense of a direction word: the cheap check stays out of those. */
const HEDGES = /\b(not|no|never|unlikely|despite|although|though|but|however|while|without|fail(s|ed)?)\b|n't\b/i;

/**
 * The direction a rationale asserts, read cheaply: only a text whose direction words all point one
 * way and that has no negation or concession counts ("price is expected to increase" → up; "not
 * expected to increase" or "rally fading, lower highs" → none). Null-safe: anything unclear is 'none'.
 */
export function directionOfText(text: string): StatedDirection {
  if (HEDGES.test(text)) return 'none';
  const up = UP_WORDS.test(text);
  const down = DOWN_WORDS.test(text);
  if (up === down) return 'none';
  return up ? 'up' : 'down';
}
