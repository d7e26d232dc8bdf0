import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExperimentWindow, planExperimentRuns } from '../../domain/orchestration/experiment-plan';
import type { ExperimentRunResult, ExperimentRunSpec } from '../../domain/schemas/experiment';
import {
  computeCodeFingerprint,
  ExperimentCache,
  experimentCacheKey,
  stableStringify,
  type CacheKeyInput,
} from '../../workers/experiment-cache';

const run = (overrides: Record<string, unknown> = { learning: { teaching: false } }, seed = 1): ExperimentRunSpec =>
  planExperimentRuns([parseExperimentWindow('2021')], [seed], [{ name: 'no-teaching', overrides, llm: false }])[0]!;
const base: CacheKeyInput = { run: run(), data: { candles: 'aa', funding: 'bb' }, code: 'c0', llm: null };

describe('experiment cache key', () => {
  it('is the same for the same run, whatever order its fields were written in', () => {
    const reordered = {
      llm: null,
      code: 'c0',
      data: { funding: 'bb', candles: 'aa' },
      run: JSON.parse(stableStringify(base.run)) as ExperimentRunSpec,
    };
    expect(experimentCacheKey(reordered)).toBe(experimentCacheKey(base));
  });

  it.each<[string, CacheKeyInput]>([
    ['the seed', { ...base, run: run(undefined, 2) }],
    ['the arm overrides', { ...base, run: run({ learning: { pruning: false } }) }],
    ['the window', { ...base, run: { ...base.run, window: parseExperimentWindow('2022') } }],
    ['the candles file content', { ...base, data: { ...base.data, candles: 'ab' } }],
    ['the funding file content', { ...base, data: { ...base.data, funding: null } }],
    ['the code', { ...base, code: 'c1' }],
    ['the LLM', { ...base, llm: 'openai|gpt-4o-mini|' }],
  ])('changes with %s', (_what, changed) => {
    expect(experimentCacheKey(changed)).not.toBe(experimentCacheKey(base));
  });
});

describe('code fingerprint', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fingerprint-'));
    mkdirSync(join(root, 'domain/metrics'), { recursive: true });
    writeFileSync(join(root, 'domain/a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'domain/metrics/experiment-table.ts'), 'export const t = 1;\n');
    writeFileSync(join(root, 'package-lock.json'), '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('changes when a source file or the lock file changes, or a file appears', () => {
    const before = computeCodeFingerprint(root);
    writeFileSync(join(root, 'domain/a.ts'), 'export const a = 2;\n');
    const edited = computeCodeFingerprint(root);
    expect(edited).not.toBe(before);
    writeFileSync(join(root, 'package-lock.json'), '{"x":1}');
    const locked = computeCodeFingerprint(root);
    expect(locked).not.toBe(edited);
    mkdirSync(join(root, 'adapters'));
    writeFileSync(join(root, 'adapters/b.ts'), '');
    expect(computeCodeFingerprint(root)).not.toBe(locked);
  });

  it('ignores the harness files that only aggregate and print finished runs', () => {
    const before = computeCodeFingerprint(root);
    writeFileSync(join(root, 'domain/metrics/experiment-table.ts'), 'export const t = 2;\n');
    expect(computeCodeFingerprint(root)).toBe(before);
  });
});

describe('experiment cache', () => {
  const result: ExperimentRunResult = {
    id: '2021-s1-default',
    window: '2021',
    arm: 'default',
    seed: 1,
    from: '2021-01-01T00:00:00.000Z',
    to: '2021-12-31T20:00:00.000Z',
    bars: 2190,
    initial_equity: 10_000,
    final_equity: 10_100,
    total_return: 0.01,
    sharpe: 0.2,
    max_drawdown: 0.05,
    n_trades: 3,
    realized_pnl: 130,
    fees: 20,
    fees_pct: 0.002,
    funding: -10,
    exposure: 0.4,
    liquidations: 0,
    llm_calls: 0,
    halted: false,
    baselines: {
      random_entries_sharpe_p50: -0.3,
      random_entries_exposure: 0.4,
      ema_crossover_sharpe: 0.5,
      buy_and_hold_sharpe: 1,
    },
    seconds: 4,
  };

  it('returns what was written under the key, and nothing for another key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exp-cache-'));
    const cache = new ExperimentCache(dir);
    cache.write('k1', result);
    expect(cache.read('k1')).toEqual(result);
    expect(cache.read('k2')).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an unreadable entry and treats it as missing, so the run runs again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exp-cache-'));
    const warnings: string[] = [];
    const cache = new ExperimentCache(dir, (m) => warnings.push(m));
    writeFileSync(join(dir, 'k1.json'), '{"id": "half');
    writeFileSync(join(dir, 'k2.json'), JSON.stringify({ ...result, sharpe: 'high' }));
    expect(cache.read('k1')).toBeNull();
    expect(cache.read('k2')).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(join(dir, 'k1.json'));
    rmSync(dir, { recursive: true, force: true });
  });
});
