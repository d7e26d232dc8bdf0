import type { ActivityDeps } from '../activities/deps';
import { createLlm } from '../adapters/llm/create-llm';
import { loadLlmConfig } from '../adapters/llm/config';
import { MemoryBlobStore } from '../adapters/store/blob-store';
import { runBaselines } from '../domain/baselines/run-baselines';
import { summarizeRun } from '../domain/metrics/run-summary';
import type { Feed } from '../domain/schemas/config';
import {
  ExperimentRunResultSchema,
  type ExperimentRunResult,
  type ExperimentRunSpec,
} from '../domain/schemas/experiment';
import { buildActivityDeps } from './build-deps';
import { dataDir } from './env';
import { runSweepBacktest } from './sweep-activity';

/** The two reasoners an experiment process may need: the offline heuristic for every arm, the configured LLM for `llm`. */
export interface ExperimentDeps {
  heuristic: ActivityDeps;
  llm: () => ActivityDeps;
}

/** Deps for experiment runs: in-memory stores; only the `llm` arm touches the LLM cache and cost ledger on disk. */
export function buildExperimentDeps(env: NodeJS.ProcessEnv): ExperimentDeps {
  const dir = dataDir(env);
  let llmDeps: ActivityDeps | null = null;
  return {
    heuristic: buildActivityDeps({
      dataDir: dir,
      env,
      inMemory: true,
      llm: createLlm(loadLlmConfig({ LLM_PROVIDER: 'heuristic' }), { blobs: new MemoryBlobStore() }),
    }),
    llm: () => (llmDeps ??= buildActivityDeps({ dataDir: dir, env, inMemory: true })),
  };
}

/**
 * One (window, seed, arm): the sweep's fast-runner backtest (same config assembly, run-local stores),
 * its figures (summarizeRun, as summary.json) and the baselines on the same bars, funding and costs.
 */
export async function runExperimentRun(
  run: ExperimentRunSpec,
  feed: Feed,
  deps: ExperimentDeps,
): Promise<ExperimentRunResult> {
  const started = Date.now();
  const runDeps = run.arm.llm ? deps.llm() : deps.heuristic;
  const result = await runSweepBacktest({ run, feed, heartbeatEveryBars: 1_000_000 }, runDeps);
  const figures = summarizeRun(result.state, result.reports);
  const config = result.state.config;
  const lastClose = result.reports.at(-1)?.barCloseMs ?? config.toMs!;
  const market = runDeps.market(feed);
  const baselines = runBaselines({
    candles: await market.candles(config.toMs!, 1_000_000),
    funding: await market.funding(0, config.toMs!),
    fromMs: config.fromMs!,
    toMs: lastClose,
    barMs: config.barMs,
    initialEquity: config.initialEquity,
    costs: config.costs,
    targetExposure: figures.exposure,
  });
  return ExperimentRunResultSchema.parse({
    ...figures,
    id: run.id,
    window: run.window.label,
    arm: run.arm.name,
    seed: run.seed,
    from: new Date(result.reports[0]?.barCloseMs ?? config.fromMs!).toISOString(),
    to: new Date(lastClose).toISOString(),
    fees_pct: figures.fees / figures.initial_equity,
    baselines: {
      random_entries_sharpe_p50: baselines.random_entries.sharpe.p50,
      random_entries_exposure: baselines.random_entries.exposure,
      ema_crossover_sharpe: baselines.ema_crossover.metrics.sharpe,
      buy_and_hold_sharpe: baselines.buy_and_hold.metrics.sharpe,
    },
    seconds: (Date.now() - started) / 1000,
  });
}
