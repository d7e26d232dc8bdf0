import type { LlmUsage } from './schemas/llm';

/**
 * Failure types, one home. Activities throw ApplicationFailure with these `type`s; workflows and the
 * orchestration branch on them. Dotted names group by subsystem.
 */
export const FailureType = {
  LlmInvalidOutput: 'Llm.InvalidOutput',
  /** The last reply met the output's field rules but contradicted itself (domain/llm/agreement.ts). */
  LlmContradiction: 'Llm.Contradiction',
  LlmRateLimited: 'Llm.RateLimited',
  LlmServerError: 'Llm.ServerError',
  LlmTimeout: 'Llm.Timeout',
  LlmAuth: 'Llm.Auth',
  LlmBadRequest: 'Llm.BadRequest',
  LlmBudgetExceeded: 'Llm.BudgetExceeded',
  /** The LLM circuit breaker is open after consecutive failures: the step was not sent. */
  LlmCircuitOpen: 'Llm.CircuitOpen',
  ExchangeInsufficientFunds: 'Exchange.InsufficientFunds',
  ExchangeInvalidOrder: 'Exchange.InvalidOrder',
  ExchangeAuth: 'Exchange.Auth',
  ExchangeNetwork: 'Exchange.Network',
  ExchangeRateLimited: 'Exchange.RateLimited',
  ExchangeRejected: 'Exchange.Rejected',
  DataInvalid: 'Data.Invalid',
  DataUnavailable: 'Data.Unavailable',
  ConfigInvalid: 'Config.Invalid',
} as const;
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Failures that no retry can fix. */
export const NON_RETRYABLE_FAILURES: readonly FailureTypeName[] = [
  FailureType.LlmInvalidOutput,
  FailureType.LlmContradiction,
  FailureType.LlmAuth,
  FailureType.LlmBadRequest,
  FailureType.LlmBudgetExceeded,
  FailureType.LlmCircuitOpen,
  FailureType.ExchangeInsufficientFunds,
  FailureType.ExchangeInvalidOrder,
  FailureType.ExchangeAuth,
  FailureType.ExchangeRejected,
  FailureType.DataInvalid,
  FailureType.ConfigInvalid,
];

/**
 * Base class of classified errors thrown by adapters. The activity layer turns it into an
 * ApplicationFailure with the same `type`, `nonRetryable = !retryable`, `nextRetryDelay = retryAfterMs`
 * and `usage` in its details: replies that came back before the failure (invalid ones, say) were
 * billed, and the orchestration charges them to the iteration.
 */
export class ClassifiedError extends Error {
  constructor(
    readonly type: FailureTypeName,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly usage: LlmUsage | null = null,
  ) {
    super(message);
    this.name = 'ClassifiedError';
  }
}

/** True for failure types raised by the LLM layer: the orchestration answers these with the offline reasoner. */
export function isLlmFailure(type: string | undefined | null): boolean {
  return typeof type === 'string' && type.startsWith('Llm.');
}
