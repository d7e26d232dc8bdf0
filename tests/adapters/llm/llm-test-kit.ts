import { z } from 'zod';
import type { ReasoningTask } from '../../../adapters/llm/types';
import { ClassifiedError } from '../../../domain/failures';

export const TEST_KEY = 'test-only-key-SECRET-abc123';
/** 2024-01-01T00:00:00Z: a fixed clock so day budgets and ledgers are deterministic. */
export const NOW_MS = Date.UTC(2024, 0, 1);
export const now = (): number => NOW_MS;

export const ForecastSchema = z.object({ pUp: z.number().min(0).max(1), rationale: z.string() });
export type Forecast = z.infer<typeof ForecastSchema>;

export const HEURISTIC_FORECAST: Forecast = { pUp: 0.5, rationale: 'heuristic: flat prior' };

export function makeTask(overrides: Partial<ReasoningTask<Forecast>> = {}): ReasoningTask<Forecast> {
  return {
    step: 'R-A',
    sessionId: 'session-test',
    iterationId: 'iter-1',
    agentId: 'researcher-1',
    schema: ForecastSchema,
    schemaHint: 'pUp: probability BTC closes higher next bar (0..1); rationale: one sentence',
    system: 'You are a quantitative researcher.',
    user: 'Close 42000, EMA20 41500, RSI 61. Forecast the next 4h bar.',
    heuristic: () => HEURISTIC_FORECAST,
    ...overrides,
  };
}

export const validReply = (pUp = 0.62): string => JSON.stringify({ pUp, rationale: 'trend up, RSI not overbought' });

/** Awaits a rejection and returns it as a ClassifiedError, failing the test on anything else. */
export async function catchClassified(promise: Promise<unknown>): Promise<ClassifiedError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClassifiedError) return err;
    throw new Error(`expected a ClassifiedError, got ${String(err)}`);
  }
  throw new Error('expected the call to reject, but it resolved');
}
