import {
  approvalAttributeOf,
  approvalRequestOf,
  approvalSettingsOf,
  checkApprovalInput,
  needsApproval,
  noOperatorDecision,
  noTradeDecisionOf,
  noTradeReasonOf,
  operatorDecision,
  orderNotional,
  parseDuration,
  pendingApprovalOf,
  timedOutDecision,
  waitingDetailsOf,
} from '../../../domain/orchestration/approval';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import { SessionConfigSchema } from '../../../domain/schemas/config';
import { IterationReportSchema } from '../../../domain/schemas/session';
import type { Order } from '../../../domain/schemas/trade';

const order: Order = {
  orderId: 'iter-x-t0-a0',
  traderId: 'trader-0',
  symbol: 'BTC/USDT:USDT',
  createdAtMs: Date.UTC(2024, 0, 1),
  currentPrice: 40_000,
  orderType: 'market',
  limitPrice: null,
  size: 0.25,
  direction: 'long',
  takeProfit: 42_000,
  stopLoss: 39_000,
  closedPrice: null,
  leverage: 3,
  liquidationPrice: 27_000,
  expiresAfterBars: 1,
  horizonBars: 6,
  status: 'created',
  confidence: 0.6,
};
const ctx = { sessionId: 's', iterationId: 'iter-s-2024', barCloseMs: Date.UTC(2024, 0, 1) };
const settings = { aboveNotional: 5_000, timeoutMs: 2_000 };

describe('approval (pure)', () => {
  it('is off by default and for configs recorded before it existed', () => {
    const cfg = SessionConfigSchema.parse({ sessionId: 's', feed: { kind: 'live', exchangeId: 'x', symbol: 'y' } });
    expect(cfg.approval).toEqual({ aboveNotional: null, timeoutMs: 15 * 60_000 });
    expect(approvalSettingsOf({})).toEqual({ aboveNotional: null, timeoutMs: 15 * 60_000 });
    expect(needsApproval(order, 40_000, cfg.approval.aboveNotional)).toBe(false);
    expect(needsApproval(order, 40_000, undefined)).toBe(false);
  });

  it('refuses a timeout above three hours or a non-positive threshold, naming the field', () => {
    const base = { sessionId: 's', feed: { kind: 'live', exchangeId: 'x', symbol: 'y' } } as const;
    expect(() => SessionConfigSchema.parse({ ...base, approval: { timeoutMs: 4 * 3_600_000 } })).toThrow(/timeoutMs/);
    expect(() => SessionConfigSchema.parse({ ...base, approval: { aboveNotional: 0 } })).toThrow(/aboveNotional/);
  });

  it('asks when the notional exceeds the threshold (market: size × close; limit: size × limit)', () => {
    expect(orderNotional(order, 40_000)).toBe(10_000);
    expect(needsApproval(order, 40_000, 5_000)).toBe(true);
    expect(needsApproval(order, 40_000, 10_000)).toBe(false); // equal passes
    expect(needsApproval(order, 40_000, 20_000)).toBe(false);
    expect(needsApproval(null, 40_000, 1)).toBe(false);
    const limit = { ...order, orderType: 'limit' as const, limitPrice: 10_000 };
    expect(orderNotional(limit, 40_000)).toBe(2_500);
    expect(needsApproval(limit, 40_000, 5_000)).toBe(false);
  });

  it('builds the request and the pending view with its deadline', () => {
    const request = approvalRequestOf(order, 40_000, settings, ctx);
    expect(request).toMatchObject({
      iterationId: 'iter-s-2024',
      orderId: order.orderId,
      side: 'long',
      size: 0.25,
      price: 40_000,
      notional: 10_000,
      aboveNotional: 5_000,
      timeoutMs: 2_000,
    });
    expect(pendingApprovalOf(request, 1_000)).toMatchObject({ askedAtMs: 1_000, deadlineMs: 3_000 });
    const details = waitingDetailsOf(pendingApprovalOf(request, 1_000));
    expect(details).toContain('until 1970-01-01T00:00:03.000Z');
    expect(details).toContain('notional 10000.00 > 5000');
    expect(details).toContain('npm run approve -- iter-s-2024');
    expect(() => approvalRequestOf(order, 40_000, { aboveNotional: null, timeoutMs: 1 }, ctx)).toThrow(/off/);
  });

  it('validates an Update: something must wait, undecided, under the same order id', () => {
    const pending = pendingApprovalOf(approvalRequestOf(order, 40_000, settings, ctx), 0);
    expect(() => checkApprovalInput(null, null, { orderId: order.orderId })).toThrow(/no order is waiting/);
    expect(() => checkApprovalInput(pending, null, { orderId: 'other' })).toThrow(/other is not the order waiting/);
    expect(() => checkApprovalInput(pending, null, {})).toThrow(/orderId is required/);
    expect(() => checkApprovalInput(pending, null, undefined)).toThrow(/orderId is required/);
    expect(() => checkApprovalInput(pending, null, { orderId: order.orderId, reason: 5 })).toThrow(/reason/);
    expect(() => checkApprovalInput(pending, null, { orderId: order.orderId })).not.toThrow();
    const done = timedOutDecision(pending, 2_000);
    expect(() => checkApprovalInput(pending, done, { orderId: order.orderId })).toThrow(/already decided: timed_out/);
  });

  it('records who decided what and turns a refusal into a no-trade decision with its reason', () => {
    const request = approvalRequestOf(order, 40_000, settings, ctx);
    const pending = pendingApprovalOf(request, 0);
    const approved = operatorDecision(pending, 'approved', { by: 'alice' }, 10);
    expect(approved).toEqual({
      outcome: 'approved',
      orderId: order.orderId,
      notional: 10_000,
      by: 'alice',
      reason: 'approved by operator',
      atMs: 10,
    });
    expect(noTradeDecisionOf(approved)).toBeNull();
    expect(approvalAttributeOf(null)).toBe('pending');
    expect(approvalAttributeOf(approved)).toBe('approved');

    const rejected = operatorDecision(pending, 'rejected', { reason: 'FOMC in an hour' }, 20);
    expect(rejected).toMatchObject({ outcome: 'rejected', by: 'operator', reason: 'FOMC in an hour' });
    expect(noTradeDecisionOf(rejected)).toBe('rejected_by_operator');
    expect(noTradeReasonOf(request, rejected)).toBe(
      'rejected by operator, no trade: long 0.25 @ 40000 (notional 10000.00 > 5000): FOMC in an hour',
    );

    const late = timedOutDecision(pending, 2_000);
    expect(late).toMatchObject({ outcome: 'timed_out', by: 'timeout', reason: 'no decision within 2s' });
    expect(noTradeDecisionOf(late)).toBe('approval_timed_out');
    expect(noTradeReasonOf(request, late)).toMatch(
      /^approval timed out, no trade: long 0\.25 .*no decision within 2s$/,
    );

    const fast = noOperatorDecision(request);
    expect(fast).toMatchObject({ outcome: 'rejected', by: 'fast-runner' });
    expect(fast.reason).toMatch(/no operator/);
  });

  it('reports parse with and without an approval record', () => {
    const report = {
      iterationId: 'i',
      barCloseMs: 0,
      round: 1,
      decision: 'approval_timed_out',
      reason: 'r',
      order: null,
      riskOutcome: 'approved',
      riskAttempts: 1,
      equity: 1,
      close: 1,
      closedTrades: [],
      usage: ZERO_USAGE,
      knowledgeTransfer: false,
      learningEvents: [],
    };
    const decision = timedOutDecision(pendingApprovalOf(approvalRequestOf(order, 40_000, settings, ctx), 0), 1);
    expect(IterationReportSchema.safeParse({ ...report, approval: decision }).success).toBe(true);
    expect(IterationReportSchema.safeParse({ ...report, decision: 'flat' }).success).toBe(true);
    expect(IterationReportSchema.safeParse({ ...report, decision: 'vetoed' }).success).toBe(false);
  });

  it('parses the CLI durations', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2000')).toBe(2_000);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(() => parseDuration('')).toThrow(/not a duration/);
  });
});
