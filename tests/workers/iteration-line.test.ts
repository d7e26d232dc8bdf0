import { BAR_MS } from '../../domain/schemas/config';
import { PAPER_PRECISION } from '../../adapters/exchange/market-precision';
import type { SessionStatus } from '../../domain/orchestration/status';
import type { ClosedTrade } from '../../domain/schemas/account';
import { describeUnfilledDecision, formatIterationLine } from '../../workers/iteration-line';

const BAR = BAR_MS;
const LAST_BAR = '2023-08-12T04:00:00.000Z';

function status(over: Partial<SessionStatus>): SessionStatus {
  return {
    session: 's',
    mode: 'paper',
    trading_state: 'active',
    trading_state_reason: null,
    cooldown_until: null,
    halted: false,
    halt_reason: null,
    paused: false,
    iterations: 3,
    last_bar: LAST_BAR,
    last_decision: 'flat',
    equity: 10_000.004,
    wallet: 10_000,
    position: null,
    open_orders: 0,
    fees: 0,
    funding: 0,
    schedule: null,
    llm: {} as SessionStatus['llm'],
    leaderboard: [],
    events: [],
    recent_trades: [],
    ...over,
  } as SessionStatus;
}

const longPosition = {
  side: 'long' as const,
  size: 0.29700000000000004,
  entry_price: 26268.645220000002,
  liquidation_price: 21000,
  stop_loss: 25900,
  take_profit: 27000,
};

describe('npm start iteration lines', () => {
  it('prints the position at the market precision, not the float noise of the fill', () => {
    const line = formatIterationLine(status({ last_decision: 'long', position: longPosition }), BAR, {
      precision: PAPER_PRECISION,
      synthetic: false,
    });
    expect(line).toBe(`[${LAST_BAR}] #3 decision=long equity=10000.00 position=long 0.297 @ 26268.6`);
  });

  it('says when a long decision filled nothing because a limit order rests', () => {
    const line = formatIterationLine(status({ last_decision: 'long', open_orders: 1 }), BAR, {
      precision: PAPER_PRECISION,
      synthetic: false,
    });
    expect(line).toContain('decision=long (nothing filled: 1 order resting)');
    expect(line).toContain('position=flat');
  });

  it('says nothing filled when a short decision left the book long', () => {
    expect(describeUnfilledDecision(status({ last_decision: 'short', position: longPosition }), BAR)).toBe(
      'nothing filled',
    );
  });

  it('counts an entry of this bar that was already stopped out as filled', () => {
    const trade = { side: 'long', entryTimeMs: Date.parse(LAST_BAR), exitTimeMs: Date.parse(LAST_BAR) } as ClosedTrade;
    expect(describeUnfilledDecision(status({ last_decision: 'long', recent_trades: [trade] }), BAR)).toBeNull();
    const older = { ...trade, entryTimeMs: Date.parse(LAST_BAR) - BAR };
    expect(describeUnfilledDecision(status({ last_decision: 'long', recent_trades: [older] }), BAR)).toBe(
      'nothing filled',
    );
  });

  it('adds no note to flat, hold or rejected decisions', () => {
    for (const d of ['flat', 'hold', 'rejected', 'halted', null])
      expect(describeUnfilledDecision(status({ last_decision: d }), BAR)).toBeNull();
  });

  it('ends with the trading state when the desk is not active', () => {
    const opts = { precision: PAPER_PRECISION, synthetic: false };
    expect(formatIterationLine(status({}), BAR, opts)).toMatch(/position=flat$/);
    expect(formatIterationLine(status({ trading_state: 'reducing' }), BAR, opts)).toMatch(/position=flat REDUCING$/);
    expect(formatIterationLine(status({ trading_state: 'halted', halted: true }), BAR, opts)).toMatch(
      /position=flat HALTED$/,
    );
  });

  it('marks every line of the synthetic series as synthetic', () => {
    const line = formatIterationLine(status({}), BAR, { precision: PAPER_PRECISION, synthetic: true });
    expect(line.startsWith(`[SYNTHETIC ${LAST_BAR}]`)).toBe(true);
  });
});
