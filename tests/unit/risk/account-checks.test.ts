import { buildRiskCheckContext, type RiskCheck } from '../../../domain/risk/checks';
import {
  cooldownCheck,
  dailyLossCheck,
  haltedCheck,
  maxDrawdownCheck,
  maxOpenPositionsCheck,
} from '../../../domain/risk/account-checks';
import { marginUsageCheck, riskPerTradeCheck } from '../../../domain/risk/order-checks';
import { RiskContextSchema, type AnalyseRiskInput, type RiskContext } from '../../../domain/schemas/steps';
import { BAR_CLOSE_MS, EQUITY, makeAccount, makeInput, makeOrder, makePosition, makeSnapshot } from './fixtures';

function run(check: RiskCheck, input: Partial<AnalyseRiskInput> = {}, risk: Partial<RiskContext> = {}) {
  const base = makeInput(input);
  const full = { ...base, risk: { ...base.risk, ...risk } };
  return check.run(full.order, buildRiskCheckContext(full, makeSnapshot()));
}

describe('account checks', () => {
  test.each(
    [maxOpenPositionsCheck, dailyLossCheck, maxDrawdownCheck, cooldownCheck, haltedCheck].map(
      (c) => [c.id, c] as const,
    ),
  )('%s passes a fresh flat account', (_id, check) => {
    expect(run(check).ok).toBe(true);
  });

  test('a same-side position already open is a hard breach; an opposite one is not', () => {
    const same = run(maxOpenPositionsCheck, { account: makeAccount({ position: makePosition({ side: 'long' }) }) });
    expect(same).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'long exposure already open (1 position, 0 pending order(s)), max 1: no new long entry',
    });
    expect(run(maxOpenPositionsCheck, { account: makeAccount({ position: makePosition({ side: 'short' }) }) }).ok).toBe(
      true,
    );
  });

  test('a pending same-side entry order counts as open exposure, the order itself does not', () => {
    const pending = makeOrder({ orderId: 'iter-0-trader-a-0', orderType: 'limit', limitPrice: 59_000, status: 'open' });
    expect(run(maxOpenPositionsCheck, { account: makeAccount({ openOrders: [pending] }) }).ok).toBe(false);
    expect(
      run(maxOpenPositionsCheck, { account: makeAccount({ openOrders: [makeOrder({ status: 'open' })] }) }).ok,
    ).toBe(true);
    expect(
      run(maxOpenPositionsCheck, { account: makeAccount({ openOrders: [{ ...pending, status: 'cancelled' }] }) }).ok,
    ).toBe(true);
  });

  test('a daily loss at the limit is a hard breach with the equities in the reason', () => {
    expect(run(dailyLossCheck, {}, { equity: 9_500 })).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'daily loss 5% (equity 9500 vs day start 10000) reached limit 5%: no new entries today',
    });
    expect(run(dailyLossCheck, {}, { equity: 9_600 }).ok).toBe(true);
  });

  test('a drawdown from peak at the max is a hard breach', () => {
    const r = run(maxDrawdownCheck, {}, { peakEquity: 14_000 });
    expect(r).toMatchObject({ ok: false, severity: 'hard' });
    expect(r.reason).toBe('drawdown 28.57% (equity 10000 vs peak 14000) reached max 25%: trading halted');
    expect(run(maxDrawdownCheck, {}, { peakEquity: 13_000 }).ok).toBe(true);
  });

  test('a cool-down is hard while cooldownUntilMs is after the bar close, and over at it', () => {
    const r = run(cooldownCheck, {}, { cooldownUntilMs: BAR_CLOSE_MS + 8 * 3_600_000 });
    expect(r).toMatchObject({ ok: false, severity: 'hard' });
    expect(r.reason).toContain('runs 8 h more');
    expect(run(cooldownCheck, {}, { cooldownUntilMs: BAR_CLOSE_MS }).ok).toBe(true);
  });

  test('a halted desk hard-fails every entry', () => {
    expect(run(haltedCheck, {}, { tradingState: 'halted' })).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'trading is halted: no new entries until resumed',
    });
  });

  test('a risk input an older session scheduled with `halted` reads as HALTED or ACTIVE', () => {
    const { tradingState: _t, ...legacy } = makeInput().risk;
    expect(RiskContextSchema.parse({ ...legacy, halted: true }).tradingState).toBe('halted');
    expect(RiskContextSchema.parse({ ...legacy, halted: false }).tradingState).toBe('active');
    expect(() => RiskContextSchema.parse(legacy)).toThrow();
  });

  test('non-positive equity fails the exposure checks instead of dividing by zero', () => {
    const base = makeInput();
    const ctx = buildRiskCheckContext(
      { ...base, risk: { ...base.risk, equity: 0, dayStartEquity: EQUITY } },
      makeSnapshot(),
    );
    expect(dailyLossCheck.run(base.order, ctx).ok).toBe(false);
    expect(riskPerTradeCheck.run(base.order, ctx)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^risk per trade Infinity%/),
    });
    expect(marginUsageCheck.run(base.order, ctx).ok).toBe(false);
  });
});
