import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadLlmConfig, LlmConfigError } from '../../../adapters/llm/config';
import { renderReport } from '../../../adapters/report/report-html';
import {
  cutoffEndMs,
  findTrainingCutoff,
  memorisedPeriod,
  resolveTrainingCutoff,
  TRAINING_CUTOFFS,
} from '../../../domain/llm/training-cutoff';
import { checkLlmCutoff, MemorisedPeriodError } from '../../../workers/llm-cutoff-gate';

const H4 = 4 * 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('training cutoff lookup', () => {
  it.each([
    ['gpt-4o', 'gpt-4o', '2023-10-01'],
    ['gpt-4o-mini', 'gpt-4o-mini', '2023-10-01'],
    ['gpt-4o-2024-08-06', 'gpt-4o', '2023-10-01'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini', '2023-10-01'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano', '2024-06-01'],
    ['o3-mini', 'o3-mini', '2023-10-01'],
    ['o3-2025-04-16', 'o3', '2024-06-01'],
    ['gpt-5', 'gpt-5', '2024-09-30'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini', '2024-05-31'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku', '2024-07-31'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4', '2025-03-31'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', '2025-07-31'],
    ['openai/gpt-4.1-mini', 'gpt-4.1-mini', '2024-06-01'],
    ['Llama-3.2-1B-Instruct-Q4_K_M', 'llama-3.2', '2023-12-31'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1', '2023-12-31'],
    ['llama3.1:8b', 'llama3.1', '2023-12-31'],
  ])('%s resolves to %s (%s): exact, then the longest key it extends', (model, key, cutoff) => {
    const found = findTrainingCutoff(model);
    expect(found?.key).toBe(key);
    expect(found?.row.cutoff).toBe(cutoff);
  });

  it.each([
    'gpt-5.1', // a later version, not a snapshot of gpt-5
    'gpt-5.1-codex',
    'claude-opus-4-5-20251101', // not claude-opus-4
    'gpt-4omni',
    'gpt-4-0613',
    'qwen2.5-7b-instruct', // Qwen publishes no cutoff
    'SmolLM2-360M-Instruct',
    'deepseek-chat',
  ])('%s is unknown: a later version or an unpublished cutoff is never guessed', (model) => {
    expect(findTrainingCutoff(model)).toBeNull();
  });

  it('every row of the table is in docs/llm-cutoffs.md with its model ids, date and wording', () => {
    const doc = readFileSync(resolve(__dirname, '../../../docs/llm-cutoffs.md'), 'utf8');
    for (const row of TRAINING_CUTOFFS) {
      const line = doc.split('\n').find((l) => l.startsWith('|') && row.keys.every((k) => l.includes(`\`${k}\``)));
      expect({ keys: row.keys, line }).toEqual({ keys: row.keys, line: expect.stringContaining(row.cutoff) });
      expect(line).toContain(row.published);
    }
  });
});

describe('resolving the cutoff a run is judged by', () => {
  it('the offline reasoner has none; an override beats the table; an unknown model stays unknown', () => {
    expect(resolveTrainingCutoff({ provider: 'heuristic', model: 'heuristic', override: '2020-01-01' })).toEqual({
      model: 'heuristic',
      cutoff: null,
      source: 'offline',
    });
    expect(resolveTrainingCutoff({ provider: 'openai', model: 'gpt-4o', override: '2022-05-31' })).toEqual({
      model: 'gpt-4o',
      cutoff: '2022-05-31',
      source: 'override',
    });
    expect(resolveTrainingCutoff({ provider: 'openai', model: 'gpt-4o' }).source).toBe('table');
    expect(resolveTrainingCutoff({ provider: 'local', model: 'qwen2.5-0.5b-instruct-q4_k_m' })).toEqual({
      model: 'qwen2.5-0.5b-instruct-q4_k_m',
      cutoff: null,
      source: 'unknown',
    });
  });

  it('DESK_LLM_CUTOFF is the LLM config field trainingCutoff; a bad date is refused naming the variable', () => {
    const base = { LLM_PROVIDER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:1/v1' };
    expect(loadLlmConfig(base).trainingCutoff).toBeNull();
    expect(loadLlmConfig({ ...base, DESK_LLM_CUTOFF: '2024-02-29' }).trainingCutoff).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2023-13-01', '1 Oct 2023', '2023-10'])
      expect(() => loadLlmConfig({ ...base, DESK_LLM_CUTOFF: bad })).toThrow(
        new LlmConfigError('invalid LLM configuration: DESK_LLM_CUTOFF: must be a calendar date YYYY-MM-DD'),
      );
  });

  it('a cutoff date ends at the end of that UTC day', () => {
    expect(cutoffEndMs('2023-10-01')).toBe(at('2023-10-02T00:00:00Z'));
    expect(cutoffEndMs('2024-02-29')).toBe(at('2024-03-01T00:00:00Z'));
    expect(() => cutoffEndMs('2023-02-29')).toThrow('training cutoff "2023-02-29" is not a calendar date YYYY-MM-DD');
  });
});

describe('the memorised-period gate', () => {
  const cutoffMs = cutoffEndMs('2023-10-01');
  const gate = (from: string, to: string, provider = 'openai', c: number | null = cutoffMs) =>
    memorisedPeriod({ provider, cutoffMs: c, fromMs: at(from), toMs: at(to) });

  it('a window ending the day before the cutoff is memorised', () => {
    expect(gate('2023-09-01T00:00Z', '2023-09-30T20:00Z')).toBe('memorised');
  });
  it('a window starting on the cutoff day is memorised: that day is in the training data', () => {
    expect(gate('2023-10-01T00:00Z', '2023-10-10T00:00Z')).toBe('memorised');
    expect(gate('2023-10-01T20:00Z', '2023-10-10T00:00Z')).toBe('memorised');
  });
  it('a window straddling the cutoff is memorised (its first bars are)', () => {
    expect(gate('2023-09-25T00:00Z', '2023-12-31T00:00Z')).toBe('memorised');
  });
  it('a window whose first bar closes when the training data ends is clear', () => {
    expect(gate('2023-10-02T00:00Z', '2023-10-10T00:00Z')).toBe('clear');
    expect(memorisedPeriod({ provider: 'openai', cutoffMs, fromMs: cutoffMs - H4, toMs: cutoffMs })).toBe('memorised');
  });
  it('no cutoff: an LLM is unknown, the offline reasoner is never gated', () => {
    expect(gate('2030-01-01T00:00Z', '2030-02-01T00:00Z', 'openai', null)).toBe('unknown');
    expect(gate('2019-01-01T00:00Z', '2019-02-01T00:00Z', 'heuristic', null)).toBe('offline');
  });
  it('refuses a window that ends before it starts', () => {
    expect(() => gate('2023-10-10T00:00Z', '2023-10-01T00:00Z')).toThrow(/first bar close must not be after its last/);
  });
});

describe('checkLlmCutoff, the one check of every LLM backtest command', () => {
  const gpt = { provider: 'openai' as const, model: 'gpt-4o-mini', trainingCutoff: null };
  const early = [{ fromMs: at('2023-09-01T00:00Z'), toMs: at('2023-09-03T00:00Z') }];

  it('refuses a memorised window naming the model, its cutoff, the window and the flag', () => {
    expect(() => checkLlmCutoff({ llm: gpt, windows: early, allowMemorisedPeriod: false })).toThrow(
      MemorisedPeriodError,
    );
    expect(() => checkLlmCutoff({ llm: gpt, windows: early, allowMemorisedPeriod: false })).toThrow(
      "refusing an LLM backtest that may replay the model's memory: gpt-4o-mini's training data runs to 2023-10-01 " +
        '(as published by the vendor, docs/llm-cutoffs.md), and the window 2023-09-01 00:00 → 2023-09-03 00:00 UTC starts ' +
        'before that, so the model may know what the price did next. Either use bars closing from 2023-10-02 on, or pass ' +
        '--allow-memorised-period to run anyway (summary.json and the report then warn on every page).',
    );
  });

  it('refuses an unknown cutoff, saying how to state one', () => {
    const qwen = { provider: 'local' as const, model: 'qwen2.5-0.5b', trainingCutoff: null };
    const late = [{ fromMs: at('2030-01-01T00:00Z'), toMs: at('2030-01-02T00:00Z') }];
    expect(() => checkLlmCutoff({ llm: qwen, windows: late, allowMemorisedPeriod: false })).toThrow(
      /qwen2\.5-0\.5b has no known training cutoff .*set DESK_LLM_CUTOFF=YYYY-MM-DD .*--allow-memorised-period/,
    );
    expect(
      checkLlmCutoff({ llm: { ...qwen, trainingCutoff: '2024-09-30' }, windows: late, allowMemorisedPeriod: false }),
    ).toEqual({ llm_model: 'qwen2.5-0.5b', llm_training_cutoff: '2024-09-30', memorised_period_warning: null });
  });

  it('with the flag the run goes ahead and carries the warning; a later window carries none', () => {
    const allowed = checkLlmCutoff({ llm: gpt, windows: early, allowMemorisedPeriod: true });
    expect(allowed.llm_training_cutoff).toBe('2023-10-01');
    expect(allowed.memorised_period_warning).toMatch(/^The result may reflect memory, not skill: gpt-4o-mini/);
    const later = [{ fromMs: at('2024-01-01T00:00Z'), toMs: at('2024-02-01T00:00Z') }];
    expect(checkLlmCutoff({ llm: gpt, windows: later, allowMemorisedPeriod: false }).memorised_period_warning).toBe(
      null,
    );
  });

  it('names only the windows that are memorised', () => {
    const both = [...early, { fromMs: at('2024-01-01T00:00Z'), toMs: at('2024-02-01T00:00Z') }];
    const w = checkLlmCutoff({ llm: gpt, windows: both, allowMemorisedPeriod: true }).memorised_period_warning!;
    expect(w).toContain('2023-09-01 00:00 → 2023-09-03 00:00 UTC');
    expect(w).not.toContain('2024-01-01');
  });

  it('the offline reasoner over any window: no cutoff, no warning', () => {
    expect(
      checkLlmCutoff({
        llm: { provider: 'heuristic', model: 'heuristic', trainingCutoff: null },
        windows: [{ fromMs: at('2019-01-01T00:00Z'), toMs: at('2019-02-01T00:00Z') }],
        allowMemorisedPeriod: false,
      }),
    ).toEqual({ llm_model: 'heuristic', llm_training_cutoff: null, memorised_period_warning: null });
  });
});

describe('report.html of a memorised run', () => {
  const curve = [0, 1, 2].map((i) => ({ t: at('2023-09-01T00:00Z') + i * H4, equity: 10_000, close: 26_000 }));
  const render = (summary: Record<string, unknown>) =>
    renderReport({
      title: 't',
      summary,
      curve,
      trades: [],
      buyHold: curve,
      agents: [],
      calibration: {},
      riskVerdicts: {},
      events: [],
    });

  it('carries the warning in the title, the header, every section and the footer', () => {
    const html = render({ llm_model: 'gpt-4o-mini', memorised_period_warning: 'remembered <prices>' });
    const sections = html.match(/<section\b[^>]*>/g) ?? [];
    expect(sections.length).toBeGreaterThan(5);
    const banner =
      '<div class="memorised-warning" role="alert"><strong>May reflect memory.</strong> remembered &lt;prices&gt;</div>';
    for (const open of sections) expect(html).toContain(`${open}${banner}`);
    expect(html.split(banner).length - 1).toBe(sections.length + 2);
    expect(html).toContain('<title>t (may reflect memory)</title>');
    expect(html).toContain('<th scope="row">Model</th><td class="num">gpt-4o-mini</td>');
  });

  it('has no banner without the warning', () => {
    expect(render({ llm_model: 'heuristic', memorised_period_warning: null })).not.toContain('memorised-warning"');
  });
});
