import { buildRiskCheckContext, type RiskCheck } from '../../../domain/risk/checks';
import {
  cvarCheck,
  hardMaxLeverageCheck,
  liquidationBufferCheck,
  liquidationInsideStopCheck,
  marginUsageCheck,
  maxLeverageCheck,
  minConfidenceCheck,
  notionalCapCheck,
  riskPerTradeCheck,
  stopTakeProfitCheck,
} from '../../../domain/risk/order-checks';
import type { AnalyseRiskInput } from '../../../domain/schemas/steps';
import type { Order } from '../../../domain/schemas/trade';
import { RETURNS, makeInput, makeOrder, makePosition, makeAccount, makeSnapshot } from './fixtures';

function run(check: RiskCheck, order: Partial<Order> = {}, input: Partial<AnalyseRiskInput> = {}, returns = RETURNS) {
  const full = makeInput({ ...input, order: makeOrder(order) });
  return check.run(full.order, buildRiskCheckContext(full, makeSnapshot(returns)));
}

describe('order checks', () => {
  const allOrderChecks = [
    notionalCapCheck,
    maxLeverageCheck,
    hardMaxLeverageCheck,
    marginUsageCheck,
    riskPerTradeCheck,
    cvarCheck,
    liquidationInsideStopCheck,
    liquidationBufferCheck,
    stopTakeProfitCheck,
    minConfidenceCheck,
  ];
  test.each(allOrderChecks.map((c) => [c.id, c] as const))(
    '%s passes the baseline order and says why',
    (_id, check) => {
      const result = run(check);
      expect(result.ok).toBe(true);
      expect(result.reason.length).toBeGreaterThan(0);
    },
  );

  test('notional above maxNotionalToEquity × equity is a soft breach naming the cap and the max size', () => {
    const r = run(notionalCapCheck, { size: 0.6 });
    expect(r).toEqual({
      id: 'notional_cap',
      ok: false,
      severity: 'soft',
      reason: 'notional 36000 above cap 30000 (3× equity 10000): reduce size to at most 0.5 BTC',
    });
  });

  test('leverage above maxLeverage is soft; above hardMaxLeverage is hard', () => {
    expect(run(maxLeverageCheck, { leverage: 8 })).toMatchObject({
      ok: false,
      severity: 'soft',
      reason: 'leverage 8 above max 5: use at most 5',
    });
    expect(run(hardMaxLeverageCheck, { leverage: 8 }).ok).toBe(true);
    expect(run(hardMaxLeverageCheck, { leverage: 25 })).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'leverage 25 above hard max 20',
    });
  });

  test('margin usage above maxMarginUsage is soft and counts a same-side open position', () => {
    expect(run(marginUsageCheck, { size: 0.25, leverage: 1 })).toMatchObject({ ok: false, severity: 'soft' });
    expect(run(marginUsageCheck, { size: 0.25, leverage: 1 }).reason).toMatch(
      /^margin usage 150% of equity above max 50%/,
    );
    // 2,000 order margin + 3,500 open same-side margin = 55%.
    const withLong = run(marginUsageCheck, {}, { account: makeAccount({ position: makePosition({ margin: 3_500 }) }) });
    expect(withLong.ok).toBe(false);
    expect(withLong.reason).toContain('55%');
    const withShort = run(
      marginUsageCheck,
      {},
      { account: makeAccount({ position: makePosition({ side: 'short', margin: 3_500 }) }) },
    );
    expect(withShort.ok).toBe(true);
  });

  test('risk between entry and stop above maxRiskPerTrade is soft and names the largest allowed size', () => {
    const r = run(riskPerTradeCheck, { size: 0.2 });
    expect(r).toMatchObject({ ok: false, severity: 'soft' });
    expect(r.reason).toBe(
      'risk per trade 2.4% of equity (240 between entry 60000 and stop 58800) above max 2%: reduce size to at most 0.167 BTC',
    );
  });

  test('a limit order is measured from its limit price, not the current price', () => {
    // Entry 59,400: 600 to the stop × 0.3 = 180 = 1.8% (from 60,000 it would be 3.6%).
    expect(run(riskPerTradeCheck, { size: 0.3, orderType: 'limit', limitPrice: 59_400 }).ok).toBe(true);
    expect(run(riskPerTradeCheck, { size: 0.3 }).ok).toBe(false);
  });

  test('historical CVaR95 is the mean of the worst 5% of bars and is compared with the budget', () => {
    // Long 0.1 BTC: worst five bars are −3% → 180 = 1.8% of equity (budget 3%).
    expect(run(cvarCheck).reason).toBe('CVaR95 1.8% of equity within budget 3% (100 bars)');
    const big = run(cvarCheck, { size: 0.2 });
    expect(big).toMatchObject({ ok: false, severity: 'soft' });
    expect(big.reason).toMatch(
      /^CVaR95 3\.6% of equity \(360, 100 bars\) above budget 3%: reduce size to at most 0\.167 BTC$/,
    );
    // A short's worst bars are the +1% ones: 0.2 BTC → 120 = 1.2%.
    expect(run(cvarCheck, { size: 0.2, direction: 'short', stopLoss: 61_200, takeProfit: 57_600 }).ok).toBe(true);
  });

  test('tail_risk divides the CVaR budget by its weight', () => {
    // 0.12 BTC → 216 = 2.16%: within 3%, above 3% / 1.5 = 2%.
    expect(run(cvarCheck, { size: 0.12 }).ok).toBe(true);
    const tail = run(cvarCheck, { size: 0.12 }, { method: { id: 'tail_risk', params: {} } });
    expect(tail.ok).toBe(false);
    expect(tail.reason).toContain('above budget 2%');
  });

  test('CVaR falls back to the research estimate when the snapshot is too short', () => {
    // research cvar95 2.5% × notional 6,000 = 150 = 1.5%.
    expect(run(cvarCheck, {}, {}, RETURNS.slice(0, 5)).reason).toBe(
      'CVaR95 1.5% of equity within budget 3% (research estimate)',
    );
  });

  test('a liquidation price inside the stop is a hard breach, long and short', () => {
    expect(run(liquidationInsideStopCheck, { liquidationPrice: 59_000 })).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'liquidation price 59000 inside stop 58800 (long): the position would be liquidated before its stop',
    });
    const short = { direction: 'short' as const, stopLoss: 61_200, takeProfit: 57_600 };
    expect(run(liquidationInsideStopCheck, { ...short, liquidationPrice: 61_000 }).ok).toBe(false);
    expect(run(liquidationInsideStopCheck, { ...short, liquidationPrice: 79_000 }).ok).toBe(true);
    expect(run(liquidationInsideStopCheck, { ...short, liquidationPrice: 0 }).ok).toBe(false);
    expect(run(liquidationInsideStopCheck, { liquidationPrice: 0, leverage: 1 }).ok).toBe(true);
  });

  test('a liquidation price beyond the stop but within liquidationBufferAtr × ATR is soft', () => {
    const r = run(liquidationBufferCheck, { liquidationPrice: 58_000 });
    expect(r).toMatchObject({ ok: false, severity: 'soft' });
    expect(r.reason).toBe(
      'liquidation 58000 only 800 beyond stop 58800, need 1200 (1 ATR of 1200): lower leverage or tighten the stop',
    );
    // Inside the stop is the hard check's finding alone, not a second, soft one.
    expect(run(liquidationBufferCheck, { liquidationPrice: 59_000 }).ok).toBe(true);
  });

  test('stop and take-profit on the wrong side of entry are hard breaches', () => {
    expect(run(stopTakeProfitCheck, { stopLoss: 61_000 })).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'long stop 61000, entry 60000, take-profit 62400: violates stop < entry < take-profit',
    });
    expect(run(stopTakeProfitCheck, { direction: 'short', stopLoss: 61_200, takeProfit: 62_000 }).reason).toContain(
      'violates take-profit < entry < stop',
    );
    expect(run(stopTakeProfitCheck, { direction: 'short', stopLoss: 61_200, takeProfit: 57_600 }).ok).toBe(true);
  });

  test('confidence below minConfidence is a hard no-trade', () => {
    expect(run(minConfidenceCheck, { confidence: 0.5 })).toMatchObject({
      ok: false,
      severity: 'hard',
      reason: 'confidence 0.5 below minimum 0.53: no trade',
    });
  });
});
