import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlCostLedger, MemoryCostLedger, type CostRecord } from '../../../adapters/llm/cost-ledger';

const DAY = 86_400_000;
const DAY0 = Date.UTC(2024, 0, 1);

function call(overrides: Partial<CostRecord>): CostRecord {
  return {
    sessionId: 's1',
    iterationId: 'i1',
    agentId: 'a1',
    step: 'R-A',
    model: 'gpt-4o-mini',
    cached: false,
    tokensIn: 100,
    tokensOut: 10,
    costUsd: 0.01,
    atMs: DAY0,
    ...overrides,
  };
}

describe('MemoryCostLedger', () => {
  test('answers totals per session, UTC day, iteration and agent', async () => {
    const ledger = new MemoryCostLedger();
    await ledger.record(call({}));
    await ledger.record(call({ agentId: 'a2', costUsd: 0.02 }));
    await ledger.record(call({ iterationId: 'i2', atMs: DAY0 + DAY - 1, costUsd: 0.04 }));
    await ledger.record(call({ sessionId: 's2', atMs: DAY0 + DAY, costUsd: 0.08 }));
    await ledger.record(call({ cached: true, tokensIn: 0, tokensOut: 0, costUsd: 0 }));

    expect((await ledger.sessionTotal('s1')).costUsd).toBeCloseTo(0.07, 12);
    expect(await ledger.sessionTotal('s1')).toMatchObject({ calls: 3, cachedCalls: 1, tokensIn: 300, tokensOut: 30 });
    expect((await ledger.dayTotal(DAY0 + 5)).costUsd).toBeCloseTo(0.07, 12);
    expect((await ledger.dayTotal(DAY0 + DAY + 5)).costUsd).toBeCloseTo(0.08, 12);
    expect((await ledger.iterationTotal('i2')).costUsd).toBeCloseTo(0.04, 12);
    expect((await ledger.agentTotal('s1', 'a2')).costUsd).toBeCloseTo(0.02, 12);
    expect((await ledger.agentTotal('s2', 'a2')).calls).toBe(0);
  });

  test('rejects a malformed record instead of corrupting totals', async () => {
    const ledger = new MemoryCostLedger();
    await expect(ledger.record(call({ costUsd: -1 }))).rejects.toThrow();
    expect((await ledger.entries()).length).toBe(0);
  });
});

describe('JsonlCostLedger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('appends one JSON line per call and a new instance reloads the totals (worker restart)', async () => {
    const path = join(dir, 'nested', 'costs.jsonl');
    const first = new JsonlCostLedger(path);
    await first.record(call({ costUsd: 0.5 }));
    await first.record(call({ costUsd: 0.25 }));

    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ sessionId: 's1', costUsd: 0.5 });

    const restarted = new JsonlCostLedger(path);
    expect((await restarted.dayTotal(DAY0)).costUsd).toBeCloseTo(0.75, 12);
    await restarted.record(call({ costUsd: 0.25 }));
    expect((await restarted.sessionTotal('s1')).calls).toBe(3);
  });

  test('skips a torn last line left by a crash', async () => {
    const path = join(dir, 'costs.jsonl');
    await writeFile(path, `${JSON.stringify(call({ costUsd: 1 }))}\n{"sessionId":"s1","iter`);
    const ledger = new JsonlCostLedger(path);
    expect((await ledger.sessionTotal('s1')).costUsd).toBe(1);
  });
});
