/**
 * The LLM circuit breaker as a pure state machine (the adapter holds the state and the clock).
 * closed → `failureThreshold` consecutive failed steps → open: every step goes to the offline
 * reasoner for `cooldownMs` → half-open: one probe is sent while the others still fall back →
 * the probe's success closes the breaker, its failure opens it for another cool-down.
 * A hanging or broken server then costs one time-out per cool-down instead of one per step.
 */
export interface BreakerPolicy {
  failureThreshold: number;
  cooldownMs: number;
}

export interface BreakerState {
  /** Consecutive failed steps since the last success. */
  failures: number;
  /** While open: when the next probe may go. Null when closed. */
  openUntilMs: number | null;
  /** A half-open probe is in flight. */
  probing: boolean;
}

export const CLOSED_BREAKER: BreakerState = { failures: 0, openUntilMs: null, probing: false };

export type Admission =
  { allowed: true; probe: boolean; state: BreakerState } | { allowed: false; retryAtMs: number; state: BreakerState };

/** May a step call the LLM now? A probe marks the state so concurrent steps keep falling back. */
export function admitCall(state: BreakerState, nowMs: number): Admission {
  if (state.openUntilMs === null) return { allowed: true, probe: false, state };
  if (nowMs < state.openUntilMs || state.probing) return { allowed: false, retryAtMs: state.openUntilMs, state };
  return { allowed: true, probe: true, state: { ...state, probing: true } };
}

export function recordSuccess(): BreakerState {
  return CLOSED_BREAKER;
}

/** A failed step; `opened` is true when this failure (re)opened the breaker: the moment to warn. */
export function recordFailure(
  state: BreakerState,
  policy: BreakerPolicy,
  nowMs: number,
): { state: BreakerState; opened: boolean } {
  const failures = state.failures + 1;
  // Already open (a straggler admitted before it opened): count it, but do not extend or re-announce.
  if (state.openUntilMs !== null && !state.probing) return { state: { ...state, failures }, opened: false };
  if (state.probing || failures >= policy.failureThreshold) {
    return { state: { failures, openUntilMs: nowMs + policy.cooldownMs, probing: false }, opened: true };
  }
  return { state: { ...state, failures }, opened: false };
}

/** A call that ended neither way (budget refusal): a probe slot it held is released. */
export function releaseProbe(state: BreakerState): BreakerState {
  return state.probing ? { ...state, probing: false } : state;
}
