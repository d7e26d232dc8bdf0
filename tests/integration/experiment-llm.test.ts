import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment, type ExperimentOptions } from '../../workers/experiment-runner';
import { startStepAwareOpenAi, type StepAwareLlm } from '../fakes/step-aware-llm';
import { REAL_CANDLES, REAL_FUNDING } from '../helpers/ledger-invariant';

const KEY = 'fake-loopback-key-experiment-test';

describe('the llm arm of npm run experiment, against a loopback OpenAI-compatible server', () => {
  const root = mkdtempSync(join(tmpdir(), 'experiment-llm-'));
  let fake: StepAwareLlm;
  let options: (out: string, cache: string) => ExperimentOptions;
  beforeAll(async () => {
    fake = await startStepAwareOpenAi();
    options = (out, cache) => ({
      windows: ['2023-03-01/2023-03-08'],
      seeds: [1],
      arms: ['default', 'llm'],
      candles: REAL_CANDLES,
      funding: REAL_FUNDING,
      out: join(root, out),
      jobs: 2,
      cacheDir: join(root, cache),
      progress: 'none',
      log: () => undefined,
      // March 2023 is before gpt-4o-mini's training cutoff (2023-10-01): the llm arm runs only when allowed.
      allowMemorisedPeriod: true,
      env: {
        ...process.env,
        LLM_PROVIDER: 'openai',
        OPENAI_API_KEY: KEY,
        LLM_BASE_URL: fake.baseUrl,
        DESK_DATA_DIR: join(root, 'data'),
      },
    });
  });
  afterAll(async () => {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('only the llm arm calls the LLM; reruns are free; the key appears in no output', async () => {
    const first = await runExperiment(options('first', 'cache-a'));
    const llm = first.runs.find((r) => r.arm === 'llm')!;
    const plain = first.runs.find((r) => r.arm === 'default')!;
    expect(fake.server.errors).toEqual([]);
    expect(plain.llm_calls).toBe(0);
    expect(llm.llm_calls).toBeGreaterThan(0);
    // Every request the server saw came from the llm arm's run.
    const requests = fake.server.requests.length;
    expect(requests).toBe(llm.llm_calls);
    expect(
      Math.abs(llm.final_equity - llm.initial_equity - (llm.realized_pnl - llm.fees + llm.funding)),
    ).toBeLessThanOrEqual(1e-9 * llm.initial_equity);

    // Same experiment: answered from the experiment cache, no process runs, no request.
    const again = await runExperiment(options('second', 'cache-a'));
    expect(again.executed).toBe(0);
    // A new experiment cache: both runs execute again, and the LLM cache on disk answers every prompt.
    const fresh = await runExperiment(options('third', 'cache-b'));
    expect(fresh.executed).toBe(2);
    expect(fake.server.requests.length).toBe(requests);
    expect(fresh.runs.find((r) => r.arm === 'llm')!.final_equity).toBe(llm.final_equity);

    for (const out of ['first', 'third']) {
      expect(readFileSync(join(root, out, 'experiment.json'), 'utf8')).not.toContain(KEY);
    }
    // The model, its cutoff and the warning travel with the results, the table and experiment.md.
    const json = JSON.parse(readFileSync(join(root, 'first', 'experiment.json'), 'utf8')) as Record<string, unknown>;
    expect(json.llm_model).toBe('gpt-4o-mini');
    expect(json.llm_training_cutoff).toBe('2023-10-01');
    expect(json.memorised_period_warning).toMatch(/^The result may reflect memory, not skill: gpt-4o-mini/);
    expect(first.table).toMatch(/^> \*\*Warning \(llm arm\): may reflect memory\.\*\* The result may reflect memory/);
    expect(readFileSync(join(root, 'first', 'experiment.md'), 'utf8')).toBe(first.table);
  });

  it('refuses the llm arm over a window before the model’s training cutoff without the flag, before any run', async () => {
    const opts = options('memorised', 'cache-d');
    const before = fake.server.requests.length;
    await expect(runExperiment({ ...opts, allowMemorisedPeriod: false })).rejects.toThrow(
      /gpt-4o-mini's training data runs to 2023-10-01 .*2023-03-01 00:00 → 2023-03-08 00:00 UTC starts before that.*--allow-memorised-period/,
    );
    expect(fake.server.requests.length).toBe(before);
  });

  it('refuses the llm arm without an LLM', async () => {
    const opts = options('none', 'cache-c');
    await expect(runExperiment({ ...opts, env: { ...opts.env, LLM_PROVIDER: 'heuristic' } })).rejects.toThrow(
      /arm "llm" needs an LLM/,
    );
  });
});
