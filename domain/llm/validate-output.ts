import type { z } from 'zod';
import { isContradiction } from './agreement';
import { extractJson } from './extract-json';

/**
 * The verdict on one reply. `contradiction` is true when the reply met every field rule and broke
 * only agreement rules (domain/llm/agreement.ts): valid JSON that contradicts itself.
 */
export type OutputCheck<T> = { ok: true; value: T } | { ok: false; errors: string[]; contradiction: boolean };

/**
 * Extracts JSON from a reply and validates it against the step's contract. The error strings are
 * written for the model: they go back verbatim in the repair prompt, so they name the path and the rule.
 */
export function validateOutput<T>(schema: z.ZodType<T>, text: string): OutputCheck<T> {
  const extracted = extractJson(text);
  if (!extracted.ok) return { ok: false, errors: [extracted.error], contradiction: false };
  return validateValue(schema, extracted.value);
}

/** Validates an already parsed value (e.g. a cached one) against the contract. */
export function validateValue<T>(schema: z.ZodType<T>, value: unknown): OutputCheck<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues;
  return { ok: false, errors: formatIssues(issues), contradiction: issues.length > 0 && issues.every(isContradiction) };
}

/** One line per issue: "`path.to.field`: message" (root issues say "(root)"). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `\`${path}\`: ${issue.message}`;
  });
}
