import { isLlmFailure } from '../failures';
import { addUsage, fallbackUsage, LlmUsageSchema, ZERO_USAGE, type LlmUsage, type Provenance } from '../schemas/llm';
import type { StepContext } from '../schemas/steps';

const MAX_WARNING_CHARS = 300;

/** Failure type of an activity/child failure or a ClassifiedError, wherever it sits in the cause chain. */
export function failureTypeOf(err: unknown): string | null {
  return failureLinkOf(err)?.type ?? null;
}

/** The first link of the cause chain that carries a dotted `type` (ClassifiedError, ApplicationFailure). */
function failureLinkOf(err: unknown): { type: string; message: string; usage: unknown; details: unknown } | null {
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const link = cur as { type?: unknown; message?: unknown; usage?: unknown; details?: unknown; cause?: unknown };
    if (typeof link.type === 'string')
      return { type: link.type, message: String(link.message ?? ''), usage: link.usage, details: link.details };
    cur = link.cause;
  }
  return null;
}

/**
 * LLM usage billed before a step failed: a ClassifiedError's `usage` in-process, or the `{ usage }`
 * the activity put in the ApplicationFailure's details under Temporal. Zero when there is none.
 */
export function failedUsageOf(err: unknown): LlmUsage {
  const link = failureLinkOf(err);
  if (!link) return ZERO_USAGE;
  const carried =
    link.usage ??
    (Array.isArray(link.details) ? (link.details[0] as { usage?: unknown } | undefined)?.usage : undefined);
  const parsed = LlmUsageSchema.safeParse(carried);
  return parsed.success ? parsed.data : ZERO_USAGE;
}

/** What a step that failed with `err` and fell back costs: its billed replies, one fallback, one failure of its type. */
export function fallbackChargeOf(err: unknown): { usage: LlmUsage; warning: string } {
  const link = failureLinkOf(err);
  const type = link?.type ?? 'Llm.Unknown';
  const detail = (link?.message ?? String(err)).slice(0, MAX_WARNING_CHARS);
  return {
    usage: addUsage(failedUsageOf(err), fallbackUsage(type)),
    warning: `LLM failed for good (${type}: ${detail}); offline reasoner answered`,
  };
}

/**
 * Runs an LLM-backed step; if the LLM fails for good (`Llm.*`, e.g. invalid output after repairs),
 * runs the same step again with the offline reasoner and lets `charge` book the failure on its
 * output: the replies billed before the failure, one fallback and the failure's type.
 */
export async function withLlmFallbackCharged<I extends { ctx: StepContext }, O>(
  call: (input: I) => Promise<O>,
  input: I,
  charge: (out: O, usage: LlmUsage, warning: string) => O,
): Promise<O> {
  try {
    return await call(input);
  } catch (err) {
    if (!isLlmFailure(failureTypeOf(err))) throw err;
    const out = await call({ ...input, ctx: { ...input.ctx, heuristicOnly: true } });
    const { usage, warning } = fallbackChargeOf(err);
    return charge(out, usage, warning);
  }
}

/** withLlmFallbackCharged for outputs with a provenance (R-A forecasts, T-A styles). */
export function withLlmFallback<I extends { ctx: StepContext }, O extends { provenance: Provenance }>(
  call: (input: I) => Promise<O>,
  input: I,
): Promise<O> {
  return withLlmFallbackCharged(call, input, (out, usage, warning) => ({
    ...out,
    provenance: { ...out.provenance, source: 'fallback', warning, usage: addUsage(out.provenance.usage, usage) },
  }));
}
