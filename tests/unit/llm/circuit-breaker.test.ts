import {
  admitCall,
  CLOSED_BREAKER,
  recordFailure,
  recordSuccess,
  releaseProbe,
  type BreakerState,
} from '../../../domain/llm/circuit-breaker';

const POLICY = { failureThreshold: 3, cooldownMs: 1_000 };

function failTimes(state: BreakerState, n: number, nowMs: number): { state: BreakerState; opened: boolean[] } {
  const opened: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const next = recordFailure(state, POLICY, nowMs);
    state = next.state;
    opened.push(next.opened);
  }
  return { state, opened };
}

describe('LLM circuit breaker', () => {
  test('stays closed below the threshold and opens on the threshold-th consecutive failure, once', () => {
    const { state, opened } = failTimes(CLOSED_BREAKER, 4, 100);
    expect(opened).toEqual([false, false, true, false]);
    expect(state.openUntilMs).toBe(1_100);
    expect(admitCall(state, 500)).toMatchObject({ allowed: false, retryAtMs: 1_100 });
  });

  test('a success in between resets the count', () => {
    let { state } = failTimes(CLOSED_BREAKER, 2, 0);
    state = recordSuccess();
    expect(failTimes(state, 2, 0).state.openUntilMs).toBeNull();
  });

  test('after the cool-down exactly one probe is admitted; the others still fall back', () => {
    const open = failTimes(CLOSED_BREAKER, 3, 0).state;
    const probe = admitCall(open, 1_000);
    expect(probe).toMatchObject({ allowed: true, probe: true });
    expect(admitCall(probe.state, 1_001).allowed).toBe(false);
  });

  test('a failed probe re-opens for another cool-down; a successful one closes', () => {
    const open = failTimes(CLOSED_BREAKER, 3, 0).state;
    const probing = admitCall(open, 2_000).state;
    const reopened = recordFailure(probing, POLICY, 2_000);
    expect(reopened).toMatchObject({ opened: true, state: { openUntilMs: 3_000, probing: false } });
    expect(admitCall(recordSuccess(), 2_000)).toMatchObject({ allowed: true, probe: false });
  });

  test('a probe that ended without an answer (budget refusal) frees the slot for the next call', () => {
    const probing = admitCall(failTimes(CLOSED_BREAKER, 3, 0).state, 1_000).state;
    expect(admitCall(releaseProbe(probing), 1_000)).toMatchObject({ allowed: true, probe: true });
  });
});
