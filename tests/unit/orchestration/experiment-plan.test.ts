import {
  ARM_PRESETS,
  DEFAULT_EXPERIMENT_ARMS,
  findUnknownOverrideKeys,
  HOLDOUT_START_MS,
  parseExperimentWindow,
  parseSeeds,
  planExperimentRuns,
  resolveExperimentArms,
} from '../../../domain/orchestration/experiment-plan';
import { parseArmsObject } from '../../../domain/orchestration/sweep-plan';

describe('experiment windows', () => {
  it('a year is its bar closes from 1 January to the next 1 January (as backtest --from/--to)', () => {
    expect(parseExperimentWindow('2020')).toEqual({
      label: '2020',
      fromMs: Date.UTC(2020, 0, 1),
      toMs: Date.UTC(2021, 0, 1),
    });
  });

  it('FROM/TO takes ISO dates', () => {
    expect(parseExperimentWindow('2023-03-01/2023-04-01')).toEqual({
      label: '2023-03-01/2023-04-01',
      fromMs: Date.UTC(2023, 2, 1),
      toMs: Date.UTC(2023, 3, 1),
    });
  });

  it.each(['2025', '2025-01-01/2025-07-01', '2024-06-01/2025-08-01', '2026'])(
    'refuses %s: it reaches the 2025-07-01 holdout',
    (w) => {
      expect(() => parseExperimentWindow(w)).toThrow(/holdout/);
    },
  );

  it('the last window before the holdout is allowed', () => {
    expect(parseExperimentWindow('2025-01-01/2025-06-30').toMs).toBeLessThan(HOLDOUT_START_MS);
    expect(parseExperimentWindow('2024').toMs).toBe(Date.UTC(2025, 0, 1));
  });

  it.each(['20', 'last year', '2023-04-01/2023-03-01', '2023-01-01', '2023-02-30/2023-03-10'])(
    'refuses %s with the window named',
    (w) => {
      expect(() => parseExperimentWindow(w)).toThrow(new RegExp(`window "${w}"`));
    },
  );
});

describe('experiment seeds', () => {
  it('a count N means seeds 1 … N; a list means those seeds', () => {
    expect(parseSeeds('8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseSeeds('3,7,11')).toEqual([3, 7, 11]);
  });

  it.each(['0', 'abc', '1,1', '1.5', ''])('refuses %p', (s) => {
    expect(() => parseSeeds(s)).toThrow(/--seeds/);
  });
});

describe('experiment arms', () => {
  it('the presets are exactly the overrides the issue names', () => {
    const arms = resolveExperimentArms([...DEFAULT_EXPERIMENT_ARMS], [], { llmProvider: 'heuristic' });
    expect(arms).toEqual([
      { name: 'default', overrides: {}, llm: false },
      { name: 'no-teaching', overrides: { learning: { teaching: false } }, llm: false },
      { name: 'no-pruning', overrides: { learning: { pruning: false } }, llm: false },
      { name: 'no-calibration', overrides: { learning: { calibration: false } }, llm: false },
      { name: 'no-skill-gate', overrides: { sizing: { skillGate: false } }, llm: false },
    ]);
  });

  it('a resolved arm is a copy: changing it leaves the preset alone', () => {
    const [arm] = resolveExperimentArms(['no-teaching'], [], { llmProvider: 'heuristic' });
    (arm!.overrides.learning as { teaching: boolean }).teaching = true;
    expect(ARM_PRESETS['no-teaching'].overrides.learning.teaching).toBe(false);
  });

  it('the llm arm needs a configured LLM', () => {
    expect(() => resolveExperimentArms(['default', 'llm'], [], { llmProvider: 'heuristic' })).toThrow(
      /arm "llm" needs an LLM/,
    );
    expect(resolveExperimentArms(['llm'], [], { llmProvider: 'openai' })).toEqual([
      { name: 'llm', overrides: {}, llm: true },
    ]);
  });

  it('custom arms from --arms-json follow the presets and run on the heuristic reasoner', () => {
    const custom = parseArmsObject({ vote: { decisionRule: 'vote' } }, '--arms-json f.json');
    expect(resolveExperimentArms(['default'], custom, { llmProvider: 'openai' })).toEqual([
      { name: 'default', overrides: {}, llm: false },
      { name: 'vote', overrides: { decisionRule: 'vote' }, llm: false },
    ]);
  });

  it('refuses unknown presets, malformed custom arms and arms that override what each run sets', () => {
    expect(() => resolveExperimentArms(['no-learning'], [], { llmProvider: 'heuristic' })).toThrow(
      /unknown arm "no-learning"/,
    );
    expect(() => parseArmsObject([1], '--arms-json f.json')).toThrow(/--arms-json f.json must be a JSON object/);
    expect(() => parseArmsObject({ x: 3 }, '--arms-json f.json')).toThrow(/--arms-json f.json "x"/);
    expect(() =>
      resolveExperimentArms([], [{ name: 'late', overrides: { toMs: 0 } }], { llmProvider: 'heuristic' }),
    ).toThrow(/arm "late" overrides toMs/);
  });

  it('finds override paths the config does not have (a typo would otherwise run the default)', () => {
    const parsed = { learning: { teaching: true, pruning: true }, sizing: { skillGate: true }, seed: 7 };
    expect(findUnknownOverrideKeys({ learning: { teachin: false }, sizin: {} }, parsed)).toEqual([
      'learning.teachin',
      'sizin',
    ]);
    expect(findUnknownOverrideKeys({ learning: { teaching: false }, sizing: { skillGate: false } }, parsed)).toEqual(
      [],
    );
  });
});

describe('experiment plan', () => {
  it('every (window, seed, arm) once, with ids that name the window, seed and arm', () => {
    const windows = [parseExperimentWindow('2020'), parseExperimentWindow('2023-03-01/2023-04-01')];
    const arms = resolveExperimentArms(['default', 'no-teaching'], [], { llmProvider: 'heuristic' });
    const runs = planExperimentRuns(windows, [1, 2], arms);
    expect(runs).toHaveLength(8);
    expect(runs.map((r) => r.id)).toContain('2020-s2-no-teaching');
    expect(runs.map((r) => r.id)).toContain('2023-03-01_2023-04-01-s1-default');
    expect(new Set(runs.map((r) => r.id)).size).toBe(8);
    expect(runs.find((r) => r.id === '2020-s2-no-teaching')).toMatchObject({
      seed: 2,
      window: { label: '2020' },
      arm: { name: 'no-teaching' },
    });
  });

  it('refuses a window given twice', () => {
    const w = parseExperimentWindow('2020');
    expect(() => planExperimentRuns([w, w], [1], [{ name: 'default', overrides: {}, llm: false }])).toThrow(
      /windows repeat/,
    );
  });
});
