import { CostTotals, usageOf, utcDayOf } from '../../../domain/llm/cost-record';
import { estimateTokens, findPrice, priceTokens } from '../../../domain/llm/price-usage';

const table = {
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
};

describe('findPrice', () => {
  test('prefers the exact key, then the longest prefix', () => {
    expect(findPrice(table, 'gpt-4o')).toBe(table['gpt-4o']);
    expect(findPrice(table, 'gpt-4o-mini-2024-07-18')).toBe(table['gpt-4o-mini']);
    expect(findPrice(table, 'gpt-4o-2024-08-06')).toBe(table['gpt-4o']);
  });

  test('unknown models use the * wildcard when present, else null', () => {
    expect(findPrice(table, 'llama3')).toBeNull();
    const wildcard = { inputPerMTok: 1, outputPerMTok: 1 };
    expect(findPrice({ ...table, '*': wildcard }, 'llama3')).toBe(wildcard);
  });
});

describe('priceTokens', () => {
  test('is tokens × USD per 1M tokens', () => {
    expect(priceTokens(table['gpt-4o-mini'] ?? null, 1_000_000, 500_000)).toBeCloseTo(0.15 + 0.3, 12);
  });
  test('costs nothing for an unpriced model', () => {
    expect(priceTokens(null, 10_000, 10_000)).toBe(0);
  });
  test('estimateTokens rounds 4 chars per token up', () => {
    expect(estimateTokens('abcde')).toBe(2);
  });
});

describe('cost totals', () => {
  const base = {
    sessionId: 's',
    iterationId: 'i',
    agentId: 'a',
    step: 'R-A',
    model: 'm',
    tokensIn: 5,
    tokensOut: 1,
    costUsd: 0.5,
  };

  test('utcDayOf splits at UTC midnight', () => {
    const midnight = Date.UTC(2024, 5, 2);
    expect(utcDayOf(midnight - 1)).toBe(utcDayOf(midnight) - 1);
    expect(utcDayOf(midnight + 86_399_999)).toBe(utcDayOf(midnight));
  });

  test('a cache hit counts as a cached call, not a call', () => {
    expect(usageOf({ ...base, cached: true, atMs: 0 })).toMatchObject({ calls: 0, cachedCalls: 1 });
  });

  test('agents with the same id in different sessions are kept apart', () => {
    const totals = new CostTotals();
    totals.add({ ...base, cached: false, atMs: 0 });
    totals.add({ ...base, sessionId: 't', cached: false, atMs: 0 });
    expect(totals.agent('s', 'a').costUsd).toBe(0.5);
    expect(totals.day(0).costUsd).toBe(1);
  });
});
