import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStepAwareOpenAi, type StepAwareLlm } from '../fakes/step-aware-llm';
import { startTestTemporal } from '../helpers/temporal';

const ROOT = resolve(__dirname, '../..');
const KEY = 'fake-loopback-key-cutoff-test';
/** The embedded year (2023-07 → 2024-06): early September 2023 is before gpt-4o-mini's cutoff (2023-10-01). */
const WINDOW = [
  '--data',
  resolve(ROOT, 'data/btcusdt-perp-4h-2023-07_2024-06.csv'),
  '--from',
  '2023-09-01',
  '--to',
  '2023-09-02',
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run backtest` as a child process, asynchronously so the loopback LLM in this process can answer it. */
function backtest(args: string[], env: Record<string, string>): Promise<Run> {
  return runScript('scripts/backtest.ts', args, env);
}

function runScript(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  const base = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'LLM_MODEL', 'LLM_BASE_URL', 'DESK_LLM_CUTOFF'])
    delete base[k];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/.bin/tsx'), script, ...args], {
      cwd: ROOT,
      env: { ...base, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('an LLM backtest over bars before the model’s training cutoff', () => {
  const root = mkdtempSync(join(tmpdir(), 'cutoff-'));
  let fake: StepAwareLlm;
  let llmEnv: Record<string, string>;
  beforeAll(async () => {
    fake = await startStepAwareOpenAi();
    llmEnv = {
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: KEY,
      LLM_BASE_URL: fake.baseUrl,
      DESK_DATA_DIR: join(root, 'data'),
    };
  });
  afterAll(async () => {
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is refused without --allow-memorised-period, naming the model, its cutoff, the window and the flag', async () => {
    const out = join(root, 'refused');
    const r = await backtest([...WINDOW, '--out', out], llmEnv);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "backtest failed: refusing an LLM backtest that may replay the model's memory: gpt-4o-mini's training data runs to 2023-10-01",
    );
    expect(r.stderr).toContain('2023-09-01 00:00 → 2023-09-02 00:00 UTC');
    expect(r.stderr).toContain('--allow-memorised-period');
    expect(fake.server.requests).toHaveLength(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('runs with the flag; summary.json names the model and cutoff and warns, and every report section has the banner', async () => {
    const out = join(root, 'allowed');
    const r = await backtest([...WINDOW, '--out', out, '--allow-memorised-period'], llmEnv);
    expect(r.stderr).not.toContain('backtest failed');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: The result may reflect memory, not skill: gpt-4o-mini');
    expect(fake.server.errors).toEqual([]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary.llm_calls).toBeGreaterThan(0);
    expect(summary.llm_model).toBe('gpt-4o-mini');
    expect(summary.llm_training_cutoff).toBe('2023-10-01');
    expect(summary.memorised_period_warning).toMatch(
      /^The result may reflect memory, not skill: gpt-4o-mini's training data runs to 2023-10-01 .*2023-09-01 00:00 → 2023-09-02 00:00 UTC/,
    );
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const sections = html.match(/<section\b[^>]*>/g) ?? [];
    expect(sections.length).toBeGreaterThan(5);
    for (const open of sections)
      expect(html).toContain(`${open}<div class="memorised-warning" role="alert"><strong>May reflect memory.</strong>`);
    for (const file of ['summary.json', 'report.html', 'trades.csv'])
      expect(readFileSync(join(out, file), 'utf8')).not.toContain(KEY);
  });

  it('on the temporal runner, the Web UI shows the warning as the session’s summary and the model in its memo', async () => {
    const t = await startTestTemporal();
    try {
      const out = join(root, 'temporal');
      const r = await backtest(
        [
          ...WINDOW.slice(0, 4),
          '--to',
          '2023-09-01T08:00:00Z',
          '--runner',
          'temporal',
          '--allow-memorised-period',
          '--out',
          out,
        ],
        { ...llmEnv, TEMPORAL_ADDRESS: t.server.address, DESK_DATA_DIR: join(root, 'temporal-data') },
      );
      expect(r.stderr).not.toContain('backtest failed');
      expect(r.status).toBe(0);
      const sessionId = /^backtest (\S+):/m.exec(r.stdout)?.[1];
      expect(sessionId).toMatch(/^session-.*-backtest-temporal-/);
      const described = await t.client.workflow.getHandle(sessionId!).describe();
      expect(described.memo).toEqual({
        llm_model: 'gpt-4o-mini',
        llm_training_cutoff: '2023-10-01',
        memorised_period_warning: expect.stringMatching(/^The result may reflect memory, not skill/),
      });
      expect(await described.staticSummary()).toBe(
        'May reflect memory: gpt-4o-mini over bars before its training cutoff (2023-10-01)',
      );
      expect(await described.staticDetails()).toMatch(/^The result may reflect memory, not skill: gpt-4o-mini/);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['scripts/sweep.ts', ['--data', WINDOW[1]!, '--windows', '2023-09-01/2023-09-02', '--out', join(root, 'sweep')]],
    [
      'scripts/experiment.ts',
      ['--data', WINDOW[1]!, '--windows', '2023-09-01/2023-09-02', '--arms', 'llm', '--out', join(root, 'exp')],
    ],
    ['scripts/tune-evidence.ts', ['--data', WINDOW[1]!, '--funding', WINDOW[1]!, '--windows', '2023', '--seeds', '1']],
    // npm start's replay feed is history too: the same gate, before a server, worker or session starts.
    ['scripts/start.ts', ['--data', WINDOW[1]!, '--max-iterations', '1']],
  ])('%s refuses the same way, before it starts anything', async (script, args) => {
    const before = fake.server.requests.length;
    const r = await runScript(script, args, {
      ...llmEnv,
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/gpt-4o-mini's training data runs to 2023-10-01 .*--allow-memorised-period/);
    expect(fake.server.requests.length).toBe(before);
  });

  it('the offline heuristic reasoner runs the same window unasked: no cutoff, no warning, no banner', async () => {
    const out = join(root, 'heuristic');
    const r = await backtest([...WINDOW, '--out', out], { LLM_PROVIDER: 'heuristic', DESK_DATA_DIR: join(root, 'h') });
    expect(r.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary.llm_model).toBe('heuristic');
    expect(summary.llm_training_cutoff).toBeNull();
    expect(summary.memorised_period_warning).toBeNull();
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('class="memorised-warning"');
  });
});
