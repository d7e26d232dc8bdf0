import type { z } from 'zod';
import type { Provenance } from '../../domain/schemas/llm';

/**
 * One reasoning step handed to the shared LLM. The same task answers offline: `heuristic` is the
 * deterministic quant answer the `heuristic` provider returns, and the fallback when an LLM fails.
 */
export interface ReasoningTask<T> {
  /** Step code, e.g. 'R-A'. */
  step: string;
  sessionId: string;
  iterationId: string;
  agentId: string;
  /** Per-agent model override; null/undefined = the shared default model. */
  model?: string | null;
  /** Output contract; the prompt states it and the response is validated against it. */
  schema: z.ZodType<T>;
  /** Human-readable description of the JSON to return (field meanings, ranges). */
  schemaHint: string;
  system: string;
  user: string;
  heuristic: () => T;
}

export interface Reasoned<T> {
  value: T;
  provenance: Provenance;
}

/** The one shared LLM every agent calls. */
export interface Llm {
  readonly provider: 'heuristic' | 'openai' | 'anthropic' | 'local';
  readonly model: string;
  reason<T>(task: ReasoningTask<T>): Promise<Reasoned<T>>;
}
