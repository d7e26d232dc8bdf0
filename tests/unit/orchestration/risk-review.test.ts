import { runRiskReview, type RiskReviewSteps } from '../../../domain/orchestration/risk-review';
import type { RiskLogEntry, RiskVerdict } from '../../../domain/schemas/risk';
import type { RiskReviewInput } from '../../../domain/schemas/steps';
import type { TradeProposal } from '../../../domain/schemas/trade';
import { ZERO_USAGE } from '../../../domain/schemas/llm';

const order = (n: number) =>
  ({
    kind: 'order',
    order: { orderId: `o${n}`, leverage: 10 - n } as never,
    rationale: '',
    provenance: {} as never,
  }) as TradeProposal;
const soft = (retryFrom: 'T-A' | 'T-B'): RiskVerdict => ({
  status: 'soft_fail',
  reasons: ['leverage 8 above max 5'],
  retryFrom,
  checks: [],
});
const input = (maxSoftFails: number): RiskReviewInput =>
  ({
    ctx: { sessionId: 's', iterationId: 'it', barCloseMs: 0, round: 1, symbol: 'BTC/USDT:USDT' },
    trader: { id: 'trader-1' },
    riskManager: { id: 'risk_manager-1' },
    riskMethod: { id: 'standard', params: {} },
    styleMethod: { id: 'trend_swing', params: {} },
    research: {},
    style: {},
    snapshot: { ref: 'ref' },
    firstProposal: order(0),
    account: {},
    risk: {},
    limits: {},
    costs: {},
    maxSoftFails,
  }) as never;

function scripted(verdicts: RiskVerdict[]) {
  const calls: string[] = [];
  const logged: RiskLogEntry[] = [];
  let built = 0;
  const steps: RiskReviewSteps = {
    analyseRisk: async () => {
      calls.push('M-A');
      const v = verdicts.shift();
      if (!v) throw new Error('script ran out');
      return v;
    },
    logRisk: async (e) => {
      calls.push('M-B');
      logged.push(e);
      return { written: true };
    },
    buildOrder: async (i) => {
      calls.push(`T-B#${i.attempt}:${i.feedback.join('|')}`);
      return order(++built);
    },
    chooseStyle: async () => {
      calls.push('T-A');
      return { provenance: { usage: ZERO_USAGE } } as never;
    },
  };
  return { steps, calls, logged };
}

describe('the soft-fail loop', () => {
  it('regenerates with the reasons and approves the order that passes', async () => {
    const { steps, calls, logged } = scripted([soft('T-B'), { status: 'pass', checks: [] }]);
    const result = await runRiskReview(steps, input(2));
    expect(result.outcome).toBe('approved');
    expect(result.order?.orderId).toBe('o1');
    expect(calls).toEqual(['M-A', 'M-B', 'T-B#1:leverage 8 above max 5', 'M-A', 'M-B']);
    expect(logged.map((e) => e.key)).toEqual(['it#0', 'it#1']);
  });

  it('goes back to T-A before T-B when the style itself is the problem', async () => {
    const { steps, calls } = scripted([soft('T-A'), { status: 'pass', checks: [] }]);
    await runRiskReview(steps, input(2));
    expect(calls.slice(2, 4)).toEqual(['T-A', 'T-B#1:leverage 8 above max 5']);
  });

  it('is bounded: after maxSoftFails regenerations the next soft fail is a hard fail, logged', async () => {
    const { steps, logged } = scripted([soft('T-B'), soft('T-B'), soft('T-B'), soft('T-B')]);
    const result = await runRiskReview(steps, input(2));
    expect(result.outcome).toBe('rejected');
    expect(result.attempts).toBe(3);
    expect(logged.map((e) => e.verdict.status)).toEqual(['soft_fail', 'soft_fail', 'hard_fail']);
    expect(result.reason).toMatch(/soft-fail limit/);
  });

  it('a hard fail discards the order at once; an emergency stop ends the loop', async () => {
    const hard = scripted([{ status: 'hard_fail', reasons: ['liquidation inside stop'], checks: [] }]);
    expect((await runRiskReview(hard.steps, input(2))).outcome).toBe('rejected');
    const stopped = scripted([]);
    expect(await runRiskReview(stopped.steps, input(2), () => true)).toMatchObject({
      outcome: 'rejected',
      reason: 'emergency stop',
    });
    expect(stopped.calls).toEqual([]);
  });
});
