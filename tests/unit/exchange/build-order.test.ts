import { createAccount } from '../../../domain/exchange/paper-account';
import { liquidationPriceForPosition } from '../../../domain/exchange/perp-math';
import { ExchangeCostsSchema, RiskLimitsSchema } from '../../../domain/schemas/config';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import type { ResearchReport } from '../../../domain/schemas/research';
import { BuildOrderInputSchema, type BuildOrderInput } from '../../../domain/schemas/steps';
import { TradeProposalSchema, type ExecutionStyle, type Order } from '../../../domain/schemas/trade';
import { buildOrder, evidenceSizing, readOrderFeedback } from '../../../domain/trader/build-order';
import { clientOrderId } from '../../../domain/trader/client-order-id';

const research: ResearchReport = {
  Meta: { agentId: 'researcher-1', barCloseMs: 1_700_000_000_000, symbol: 'BTC/USDT:USDT', methods: {} },
  Market_State: { close: 30_000, regime: 'trend', trend: 'up', trendStrength: 0.5, fundingRate: 0.0001 },
  Forecast: { pUp: 0.6, pUpCalibrated: 0.58, expectedReturn: 0.01, horizonBars: 6 },
  Signals: [],
  Risk: { volPerBar: 0.01, annualVol: 0.6, var95: 0.02, cvar95: 0.03, atr: 300, stopDistance: 600 },
  Recommendation: { action: 'long', conviction: 0.6, netEdge: 0.01 },
  Scenarios: [{ name: 'base', probability: 1, priceTarget: 30_500 }],
  Explainability: { summary: 's', drivers: [] },
  Constraints: { maxLeverage: 5, minConfidence: 0.53 },
  Confidence: 0.58,
  Post_trade_evaluation_keys: ['pnl'],
};

const style: ExecutionStyle = {
  agentId: 'trader-1',
  method: 'atr-bracket',
  orderType: 'market',
  limitOffsetAtr: 0,
  takeProfitAtr: 4,
  stopLossAtr: 2,
  leverageMin: 1,
  leverageMax: 10,
  horizonBars: 6,
  standAside: false,
  rationale: 'test',
  provenance: { source: 'heuristic', hash: null, model: null, warning: null, usage: ZERO_USAGE },
};

function makeInput(overrides: Partial<BuildOrderInput> = {}): BuildOrderInput {
  return BuildOrderInputSchema.parse({
    ctx: {
      sessionId: 's',
      iterationId: 'iter-s-2023-11-14T20:00:00Z',
      barCloseMs: 1_700_000_000_000,
      round: 3,
      symbol: 'BTC/USDT:USDT',
    },
    agent: { id: 'trader-1', role: 'trader', model: null, inventory: {}, score: 0, n: 0, notes: [] },
    attempt: 0,
    research,
    style,
    account: createAccount(10_000, 0),
    limits: RiskLimitsSchema.parse({}),
    costs: ExchangeCostsSchema.parse({}),
    feedback: [],
    ...overrides,
  });
}

function orderOf(input: BuildOrderInput): Order {
  const proposal = TradeProposalSchema.parse(buildOrder(input));
  if (proposal.kind !== 'order') throw new Error(`expected an order, got stand_aside: ${proposal.reason}`);
  return proposal.order;
}

describe('buildOrder (T-B)', () => {
  it('sizes a market long from the risk budget with ATR stop and take-profit', () => {
    const order = orderOf(makeInput());
    // risk 2% of 10,000 = 200 over a 600 stop distance = 0.333 BTC (rounded down to the lot).
    expect(order).toMatchObject({
      direction: 'long',
      orderType: 'market',
      limitPrice: null,
      stopLoss: 29_400,
      takeProfit: 31_200,
      size: 0.333,
    });
    expect(order).toMatchObject({
      status: 'created',
      closedPrice: null,
      expiresAfterBars: 1,
      horizonBars: 6,
      confidence: 0.58,
      currentPrice: 30_000,
    });
    expect(order.orderId).toBe(clientOrderId('iter-s-2023-11-14T20:00:00Z', 'trader-1', 0));
    // 0.333 × 30,000 = 9,990 notional; margin usage ≤ 50% of 10,000 needs ≥ 2x.
    expect(order.leverage).toBe(2);
    expect(order.liquidationPrice).toBeCloseTo(liquidationPriceForPosition('long', 0.333, 30_000, 9_990 / 2), 0);
  });

  it('places a short limit above the close with its stop above the entry', () => {
    const order = orderOf(
      makeInput({
        research: { ...research, Recommendation: { action: 'short', conviction: 0.6, netEdge: 0.01 } },
        style: { ...style, orderType: 'limit', limitOffsetAtr: 0.5 },
      }),
    );
    expect(order).toMatchObject({
      direction: 'short',
      limitPrice: 30_150,
      stopLoss: 30_750,
      takeProfit: 28_950,
      expiresAfterBars: 3,
    });
  });

  it('stands aside on a flat recommendation, a standing-aside style and a notional under 100 USDT', () => {
    expect(
      buildOrder(makeInput({ research: { ...research, Recommendation: { action: 'flat', conviction: 0.5 } } })),
    ).toMatchObject({ kind: 'stand_aside', reason: expect.stringContaining('flat') });
    expect(buildOrder(makeInput({ style: { ...style, standAside: true } }))).toMatchObject({ kind: 'stand_aside' });
    expect(buildOrder(makeInput({ account: createAccount(100, 0) }))).toMatchObject({
      kind: 'stand_aside',
      reason: expect.stringContaining('minimum 100'),
    });
  });

  it('caps the notional at maxNotionalToEquity × equity', () => {
    const order = orderOf(makeInput({ research: { ...research, Risk: { ...research.Risk, atr: 10 } } })); // tiny stop → huge risk size
    expect(order.size * 30_000).toBeLessThanOrEqual(3 * 10_000);
  });

  it('lowers leverage to the max named in "leverage 8 above max 5" and shrinks size to keep margin usage', () => {
    const limits = RiskLimitsSchema.parse({ maxLeverage: 20, maxNotionalToEquity: 4, maxRiskPerTrade: 0.2 });
    const first = orderOf(makeInput({ limits, style: { ...style, leverageMin: 8, leverageMax: 10 } }));
    expect(first.leverage).toBe(8);
    const second = orderOf(
      makeInput({
        limits,
        attempt: 1,
        style: { ...style, leverageMin: 8, leverageMax: 10 },
        feedback: ['leverage 8 above max 5: use at most 5'],
      }),
    );
    expect(second.leverage).toBe(5);
    expect((second.size * 30_000) / second.leverage).toBeLessThanOrEqual(0.5 * 10_000);
    expect(second.orderId).not.toBe(first.orderId);
  });

  it('pushes the liquidation price further from the stop after a "liquidation inside stop" reason', () => {
    const limits = RiskLimitsSchema.parse({
      maxLeverage: 50,
      hardMaxLeverage: 50,
      maxNotionalToEquity: 20,
      maxRiskPerTrade: 0.5,
      liquidationBufferAtr: 0,
    });
    const wide = { ...style, stopLossAtr: 8, leverageMin: 20, leverageMax: 50 };
    const first = orderOf(makeInput({ limits, style: wide }));
    const second = orderOf(
      makeInput({
        limits,
        style: wide,
        feedback: [
          'liquidation price 27000 inside stop 27600 (long): the position would be liquidated before its stop',
        ],
      }),
    );
    expect(second.leverage).toBeLessThan(first.leverage);
    expect(first.stopLoss - first.liquidationPrice).toBeGreaterThanOrEqual(0);
    expect(second.stopLoss - second.liquidationPrice).toBeGreaterThanOrEqual(300); // one more ATR of buffer
  });

  it('reads size caps and generic complaints from risk feedback', () => {
    expect(
      readOrderFeedback(['risk per trade 3% of equity above max 2%: reduce size to at most 0.2 BTC'], 10).sizeCap,
    ).toBe(0.2);
    expect(
      readOrderFeedback(['margin usage 80% of equity above max 50%: reduce size or raise leverage within its max'], 10),
    ).toMatchObject({ sizeFactor: 0.5, leverageCap: 10 });
    expect(readOrderFeedback(['leverage 30 above hard max 20'], 25).leverageCap).toBe(20);
  });
});

describe('the edge gate (T-B)', () => {
  const withEdge = (netEdge: number | undefined): ResearchReport => ({
    ...research,
    Recommendation: { action: 'long', conviction: 0.6, ...(netEdge !== undefined && { netEdge }) },
  });

  it('a forecast whose net edge is not above the margin never becomes an order, and says why', () => {
    for (const netEdge of [-0.01, 0, 0.0019, 0.002]) {
      const p = buildOrder(
        makeInput({
          research: withEdge(netEdge),
          sizing: { skillGate: true, edgeMargin: 0.002, kellyFraction: 0.25, minSkillSize: 0.25 },
        }),
      );
      expect(p).toMatchObject({
        kind: 'stand_aside',
        reason: expect.stringContaining('does not exceed the margin 0.200%'),
      });
    }
    expect(
      buildOrder(
        makeInput({
          research: withEdge(0.0021),
          sizing: { skillGate: true, edgeMargin: 0.002, kellyFraction: 0.25, minSkillSize: 0.25 },
        }),
      ).kind,
    ).toBe('order');
  });

  it('research without a stated net edge never becomes an order', () => {
    expect(buildOrder(makeInput({ research: withEdge(undefined) }))).toMatchObject({
      kind: 'stand_aside',
      reason: 'research states no net edge after costs',
    });
  });

  it('no risk-manager feedback reopens the gate: a regenerated attempt stands aside too', () => {
    expect(
      buildOrder(
        makeInput({ research: withEdge(0.001), attempt: 1, feedback: ['margin usage 80% of equity above max 50%'] }),
      ).kind,
    ).toBe('stand_aside');
  });
});

describe('evidence sizing (T-B)', () => {
  const sizing = (
    over: Partial<{ skillGate: boolean; edgeMargin: number; kellyFraction: number; minSkillSize: number }> = {},
  ) => ({ skillGate: true, edgeMargin: 0.002, kellyFraction: 0.25, minSkillSize: 0.25, ...over });
  const at = (netEdge: number, skill: number, over = {}) =>
    orderOf(
      makeInput({
        research: { ...research, Recommendation: { action: 'long', conviction: 0.6, netEdge } },
        sizing: sizing(over),
        skill: { factor: skill, note: 'test' },
      }),
    );

  it('scales the risk-budget size by minSkillSize + (1 − minSkillSize) · skill', () => {
    // Risk budget: 200 USDT over a 600 stop = 0.3333 BTC; the Kelly cap (0.25 · 0.01 / (0.01² · 6) = 4.2x) does not bind.
    expect(at(0.01, 1).size).toBe(0.333);
    expect(at(0.01, 0).size).toBe(0.083); // 0.3333 · 0.25
    expect(at(0.01, 0.5).size).toBe(0.208); // 0.3333 · 0.625
    expect(at(0.01, 0, { skillGate: false }).size).toBe(0.333);
  });

  it('caps the notional at the fractional Kelly notional of the net edge', () => {
    // 0.25 · 0.003 / (0.01² · 6) = 1.25x equity = 12,500 USDT; risk budget alone: 0.333 BTC = 10,000 USDT → not binding.
    expect(at(0.003, 1).size).toBe(0.333);
    // 0.25 · 0.0024 / 0.0006 = 1.0x → 10,000 / 30,000 = 0.3333; kellyFraction 0.1 → 0.4x = 4,000 USDT = 0.133 BTC.
    expect(at(0.0024, 1, { kellyFraction: 0.1 }).size).toBe(0.133);
    // Larger edge, larger size, up to the risk budget.
    expect(at(0.004, 1, { kellyFraction: 0.1 }).size).toBeGreaterThan(at(0.003, 1, { kellyFraction: 0.1 }).size);
  });

  it('stands aside without demonstrated skill when minSkillSize is 0', () => {
    const p = buildOrder(
      makeInput({
        research: { ...research, Recommendation: { action: 'long', conviction: 0.6, netEdge: 0.01 } },
        sizing: sizing({ minSkillSize: 0 }),
        skill: { factor: 0, note: 'researcher-1 Brier skill 0.001 (lower -0.02, n 40)' },
      }),
    );
    expect(p).toMatchObject({ kind: 'stand_aside', reason: expect.stringContaining('no demonstrated skill') });
  });

  it('evidenceSizing is the documented formula', () => {
    const e = evidenceSizing(0.006, 0.01, 6, 0.5, { gate: true, minSize: 0.2, factor: 0.5 });
    expect(e.kellyNotionalToEquity).toBeCloseTo(5, 12);
    expect(e.skillMultiplier).toBeCloseTo(0.6, 12);
    expect(evidenceSizing(-0.01, 0.01, 6, 0.5, { gate: false, minSize: 0.2, factor: 0 })).toEqual({
      kellyNotionalToEquity: 0,
      skillMultiplier: 1,
    });
  });
});

describe('clientOrderId', () => {
  it('is deterministic, Binance-safe and at most 36 characters', () => {
    const id = clientOrderId('iter-session-binanceusdm-BTC/USDT:USDT-paper-2023-01-01T04:00:00.000Z', 'trader-2', 3);
    expect(id).toBe(
      clientOrderId('iter-session-binanceusdm-BTC/USDT:USDT-paper-2023-01-01T04:00:00.000Z', 'trader-2', 3),
    );
    expect(id).toMatch(/^td[0-9a-f]{16}$/);
    expect(`${id}-sl`).toMatch(/^[.A-Z:/a-z0-9_-]{1,36}$/);
  });

  it('differs by iteration, trader and attempt', () => {
    const ids = new Set([
      clientOrderId('a', 'b', 0),
      clientOrderId('a', 'b', 1),
      clientOrderId('a', 'c', 0),
      clientOrderId('x', 'b', 0),
      clientOrderId('ab', '', 0),
    ]);
    expect(ids.size).toBe(5);
  });
});
