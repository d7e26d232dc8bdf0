import { Presets, SingleBar } from 'cli-progress';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadLlmConfig } from '../adapters/llm/config';
import { renderExperimentTable } from '../domain/metrics/experiment-table';
import { summarizeExperiment, type ExperimentSummary } from '../domain/metrics/experiment-summary';
import {
  findUnknownOverrideKeys,
  parseExperimentWindow,
  planExperimentRuns,
  resolveExperimentArms,
} from '../domain/orchestration/experiment-plan';
import type { SessionConfigInput } from '../domain/schemas/config';
import type {
  ExperimentArm,
  ExperimentRunResult,
  ExperimentRunSpec,
  ExperimentWindow,
} from '../domain/schemas/experiment';
import type { SweepArm } from '../domain/schemas/sweep';
import { computeCodeFingerprint, ExperimentCache, experimentCacheKey, hashDataFile } from './experiment-cache';
import { runExperimentPool } from './experiment-pool';
import { buildSessionConfig, csvFeed } from './session-config';
import { checkLlmCutoff } from './llm-cutoff-gate';
import { PROJECT_ROOT } from './temporal-server';

export interface ExperimentOptions {
  /** `2020` or `FROM/TO`. */
  windows: readonly string[];
  seeds: readonly number[];
  /** Preset names (experiment-plan ARM_PRESETS). */
  arms: readonly string[];
  /** Arms from --arms-json, run after the presets. */
  customArms?: readonly SweepArm[];
  candles: string;
  funding?: string | undefined;
  out: string;
  jobs: number;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  /** A progress bar on a terminal, a line every ~5% otherwise, or nothing. @default 'lines' */
  progress?: 'bar' | 'lines' | 'none';
  log?: (line: string) => void;
  /** Run the `llm` arm over bars before the model's training cutoff (or an unknown one), with a warning. @default false */
  allowMemorisedPeriod?: boolean;
}

export interface ExperimentOutcome {
  runs: ExperimentRunResult[];
  summary: ExperimentSummary;
  table: string;
  /** Runs executed in this call; the rest came from the cache. */
  executed: number;
  cached: number;
  seconds: number;
}

/** Thrown when runs of an experiment failed; finished runs are cached, so a rerun repeats only the failures. */
export class ExperimentRunsFailedError extends Error {
  constructor(readonly failures: ReadonlyArray<{ id: string; message: string }>) {
    super(`${failures.length} experiment run(s) failed:\n${failures.map((f) => `  ${f.id}: ${f.message}`).join('\n')}`);
    this.name = 'ExperimentRunsFailedError';
  }
}

/** Every arm's overrides must land in the config (a typo is refused, not run as the default) and every window must hold bars. */
async function checkPlan(
  arms: readonly ExperimentArm[],
  windows: readonly ExperimentWindow[],
  feed: ReturnType<typeof csvFeed>,
  log: (l: string) => void,
) {
  for (const arm of arms) {
    const config = await buildSessionConfig({
      ...(arm.overrides as Partial<SessionConfigInput>),
      mode: 'backtest',
      feed,
      seed: 1,
      fromMs: windows[0]!.fromMs,
      toMs: windows[0]!.toMs,
      sessionId: 'experiment-check',
    }).catch((err: unknown) => {
      throw new Error(`arm "${arm.name}": ${err instanceof Error ? err.message : String(err)}`);
    });
    const unknown = findUnknownOverrideKeys(arm.overrides, config);
    if (unknown.length > 0) throw new Error(`arm "${arm.name}": unknown session config field(s) ${unknown.join(', ')}`);
  }
  for (const w of windows) {
    const config = await buildSessionConfig({
      mode: 'backtest',
      feed,
      fromMs: w.fromMs,
      toMs: w.toMs,
      sessionId: 'experiment-check',
    }).catch((err: unknown) => {
      throw new Error(`window ${w.label}: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (config.fromMs! > w.fromMs || config.toMs! < w.toMs) {
      log(
        `warning: window ${w.label} is clipped to the data (and its warm-up): ${new Date(config.fromMs!).toISOString()} → ${new Date(config.toMs!).toISOString()}`,
      );
    }
  }
}

function createProgress(total: number, mode: 'bar' | 'lines' | 'none', log: (l: string) => void) {
  const started = Date.now();
  let done = 0;
  let failed = 0;
  if (mode === 'none' || total === 0)
    return {
      tick: (ok: boolean) => {
        done++;
        if (!ok) failed++;
      },
      stop: () => undefined,
    };
  if (mode === 'bar') {
    const bar = new SingleBar(
      {
        format:
          'runs {value}/{total} |{bar}| {percentage}% | ETA {eta_formatted} | elapsed {duration_formatted} | failed {failed}',
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0 });
    return {
      tick: (ok: boolean) => {
        done++;
        if (!ok) failed++;
        bar.update(done, { failed });
      },
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.floor(total / 20));
  return {
    tick: (ok: boolean) => {
      done++;
      if (!ok) failed++;
      if (done % step !== 0 && done !== total) return;
      const s = (Date.now() - started) / 1000;
      log(
        `runs ${done}/${total} (${((done / total) * 100).toFixed(0)}%) ${s.toFixed(0)} s elapsed, ETA ${((s / done) * (total - done)).toFixed(0)} s${failed ? `, ${failed} failed` : ''}`,
      );
    },
    stop: () => undefined,
  };
}

/**
 * `npm run experiment`: plans (window, seed, arm) runs, answers what it can from the cache, runs the rest
 * in parallel fast-runner processes, then writes OUT/experiment.json and OUT/experiment.md.
 */
export async function runExperiment(opts: ExperimentOptions): Promise<ExperimentOutcome> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const windows = opts.windows.map(parseExperimentWindow);
  const llm = loadLlmConfig(opts.env);
  const arms = resolveExperimentArms(opts.arms, opts.customArms ?? [], { llmProvider: llm.provider });
  // Only the llm arm reasons with a model that may remember the windows; the other arms run the offline reasoner.
  const llmCutoff = arms.some((a) => a.llm)
    ? checkLlmCutoff({ llm, windows, allowMemorisedPeriod: opts.allowMemorisedPeriod ?? false })
    : { llm_model: null, llm_training_cutoff: null, memorised_period_warning: null };
  if (llmCutoff.memorised_period_warning) log(`warning: ${llmCutoff.memorised_period_warning}`);
  for (const file of [opts.candles, opts.funding])
    if (file && !existsSync(file)) throw new Error(`data file not found: ${file}`);
  const feed = csvFeed(opts.candles, { funding: opts.funding });
  await checkPlan(arms, windows, feed, log);
  const plan = planExperimentRuns(windows, opts.seeds, arms);

  const code = computeCodeFingerprint(PROJECT_ROOT);
  const data = {
    candles: hashDataFile(feed.kind === 'csv' ? feed.candles : null),
    funding: hashDataFile(feed.kind === 'csv' ? feed.funding : null),
  };
  const llmIdentity = `${llm.provider}|${llm.model ?? ''}|${llm.baseUrl ?? ''}`;
  const cache = new ExperimentCache(opts.cacheDir, (m) => log(`warning: ${m}`));
  const keys = new Map(
    plan.map((run) => [run.id, experimentCacheKey({ run, data, code, llm: run.arm.llm ? llmIdentity : null })]),
  );
  const results = new Map<string, ExperimentRunResult>();
  for (const run of plan) {
    const hit = cache.read(keys.get(run.id)!);
    if (hit) results.set(run.id, hit);
  }
  const todo: ExperimentRunSpec[] = plan.filter((r) => !results.has(r.id));
  log(
    `experiment: ${plan.length} runs (${windows.length} windows × ${opts.seeds.length} seeds × ${arms.length} arms), ${plan.length - todo.length} cached, ${todo.length} to run in ${Math.min(opts.jobs, Math.max(1, todo.length))} processes`,
  );

  const failures: { id: string; message: string }[] = [];
  const progress = createProgress(todo.length, opts.progress ?? 'lines', log);
  await runExperimentPool(todo, feed, {
    jobs: opts.jobs,
    env: opts.env,
    onResult: (r) => {
      results.set(r.id, r);
      cache.write(keys.get(r.id)!, r);
      progress.tick(true);
    },
    onFailure: (run, message) => {
      failures.push({ id: run.id, message });
      progress.tick(false);
    },
  });
  progress.stop();
  if (failures.length > 0) throw new ExperimentRunsFailedError(failures);

  const runs = plan.map((r) => results.get(r.id)!);
  const summary = summarizeExperiment(runs, { arms: arms.map((a) => a.name), windows: windows.map((w) => w.label) });
  const warning = llmCutoff.memorised_period_warning;
  const table = `${warning ? `> **Warning (llm arm): may reflect memory.** ${warning}\n\n` : ''}${renderExperimentTable(summary)}`;
  const seconds = (Date.now() - started) / 1000;
  await mkdir(opts.out, { recursive: true });
  await writeFile(
    resolve(opts.out, 'experiment.json'),
    JSON.stringify(
      {
        windows: windows.map((w) => ({
          label: w.label,
          from: new Date(w.fromMs).toISOString(),
          to: new Date(w.toMs).toISOString(),
        })),
        seeds: opts.seeds,
        arms,
        data: {
          candles: feed.kind === 'csv' ? feed.candles : null,
          funding: feed.kind === 'csv' ? feed.funding : null,
          sha256: data,
        },
        code_fingerprint: code,
        ...llmCutoff,
        runs_total: plan.length,
        executed: todo.length,
        cached: plan.length - todo.length,
        seconds,
        summary,
        runs,
      },
      null,
      1,
    ),
  );
  await writeFile(resolve(opts.out, 'experiment.md'), table);
  return { runs, summary, table, executed: todo.length, cached: plan.length - todo.length, seconds };
}
