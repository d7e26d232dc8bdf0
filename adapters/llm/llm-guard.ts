import {
  admitCall,
  CLOSED_BREAKER,
  recordFailure,
  recordSuccess,
  releaseProbe,
  type BreakerPolicy,
  type BreakerState,
} from '../../domain/llm/circuit-breaker';
import { ClassifiedError, FailureType } from '../../domain/failures';

/** Why a step must not call the LLM now: the offline reasoner answers with this type and warning. */
export interface Refusal {
  type: string;
  warning: string;
}

export interface LlmGuardDeps {
  now: () => number;
  /** Operator-visible warning when the breaker opens or LLM use halts. @default console.warn */
  warn?: (message: string) => void;
}

/**
 * Per-process gate in front of the provider: the circuit breaker (consecutive failures → cool-down
 * on the offline reasoner → one probe) and the authentication halt (a refused key never heals, so
 * after one 401/403 no further request is sent; every step fails fast with the same Llm.Auth).
 */
export class LlmGuard {
  private breaker: BreakerState = CLOSED_BREAKER;
  private authFailure: ClassifiedError | null = null;
  /** Type of the latest failure, so a fallback while open says what the server did (429, time-out, …). */
  private lastFailureType: string | null = null;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly deps: LlmGuardDeps,
  ) {
    this.warn = deps.warn ?? ((m) => console.warn(m));
  }

  /** Null when the call may go; a refusal when the breaker is open. Throws the remembered Llm.Auth. */
  admit(): Refusal | null {
    if (this.authFailure)
      throw new ClassifiedError(FailureType.LlmAuth, `LLM use halted: ${this.authFailure.message}`, false);
    const admission = admitCall(this.breaker, this.deps.now());
    this.breaker = admission.state;
    if (admission.allowed) return null;
    return {
      type: FailureType.LlmCircuitOpen,
      warning: `LLM circuit breaker open after ${this.breaker.failures} consecutive failures (last ${this.lastFailureType ?? 'unknown'}): offline reasoner answers until ${new Date(admission.retryAtMs).toISOString()}`,
    };
  }

  succeeded(): void {
    this.breaker = recordSuccess();
  }

  /** The call ended without an LLM answer or failure (budget refusal). */
  released(): void {
    this.breaker = releaseProbe(this.breaker);
  }

  failed(err: ClassifiedError): void {
    if (err.type === FailureType.LlmAuth && this.authFailure === null) {
      this.authFailure = err;
      this.warn(
        `LLM authentication failed, LLM use halted in this process (fix the key and restart the workers): ${err.message}`,
      );
    }
    this.lastFailureType = err.type;
    const next = recordFailure(this.breaker, this.policy, this.deps.now());
    this.breaker = next.state;
    if (next.opened) {
      const until = new Date(next.state.openUntilMs ?? 0).toISOString();
      this.warn(
        `LLM circuit breaker open after ${next.state.failures} consecutive failures (last ${err.type}: ${err.message}); the offline reasoner answers until ${until}, then one probe`,
      );
    }
  }
}
