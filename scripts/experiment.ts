/**
 * `npm run experiment -- [--windows 2020,2021,…|FROM/TO,…] [--seeds 8|3,7,11] [--arms default,no-teaching,…]
 *  [--arms-json FILE] [--data FILE] [--funding FILE] [--jobs N] [--out DIR] [--cache DIR] [--allow-memorised-period]`:
 * what learning buys (the `llm` arm over bars before the model's training cutoff needs --allow-memorised-period). Every (window, seed, arm) through the fast runner in parallel processes, finished runs
 * cached; writes OUT/experiment.json and OUT/experiment.md and prints the table. See README "Experiment".
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_EXPERIMENT_ARMS,
  DEFAULT_EXPERIMENT_WINDOWS,
  parseSeeds,
} from '../domain/orchestration/experiment-plan';
import { parseArmsObject } from '../domain/orchestration/sweep-plan';
import { parseIntegerFlag } from '../workers/cli-args';
import { dataDir, loadEnv } from '../workers/env';
import { runExperiment } from '../workers/experiment-runner';
import { ALLOW_MEMORISED_FLAG } from '../workers/llm-cutoff-gate';
import { PROJECT_ROOT } from '../workers/temporal-server';

/** The real Binance USDⓈ-M 4h candles and 8h funding the project's research runs on, kept beside the repository. */
const SHARED_DATA = resolve(PROJECT_ROOT, '../shared/data');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      windows: { type: 'string', default: DEFAULT_EXPERIMENT_WINDOWS.join(',') },
      seeds: { type: 'string', default: '8' },
      arms: { type: 'string' },
      'arms-json': { type: 'string' },
      data: { type: 'string', default: `${SHARED_DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv` },
      funding: { type: 'string', default: `${SHARED_DATA}/funding/binance_usdm_btcusdt_funding_8h.csv` },
      jobs: { type: 'string', default: String(availableParallelism()) },
      out: { type: 'string', default: 'out/experiment' },
      cache: { type: 'string' },
      [ALLOW_MEMORISED_FLAG]: { type: 'boolean', default: false },
    },
  });
  const env = loadEnv();
  const customArms = values['arms-json'] ? readArmsJson(values['arms-json']) : [];
  const arms = values.arms
    ? values.arms
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : customArms.length > 0
      ? ['default']
      : [...DEFAULT_EXPERIMENT_ARMS];
  const outcome = await runExperiment({
    windows: values.windows
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    seeds: parseSeeds(values.seeds),
    arms,
    customArms,
    candles: resolve(values.data),
    funding: values.funding ? resolve(values.funding) : undefined,
    out: values.out,
    jobs: parseIntegerFlag('--jobs', values.jobs, 1),
    cacheDir: resolve(values.cache ?? resolve(dataDir(env), 'experiment-cache')),
    env,
    progress: process.stdout.isTTY ? 'bar' : 'lines',
    allowMemorisedPeriod: values[ALLOW_MEMORISED_FLAG],
  });
  console.log(`\n${outcome.table}`);
  console.log(
    `${outcome.runs.length} runs (${outcome.executed} executed, ${outcome.cached} from the cache) in ${outcome.seconds.toFixed(1)} s; wrote ${values.out}/experiment.json and experiment.md`,
  );
}

function readArmsJson(file: string) {
  if (!existsSync(file)) throw new Error(`--arms-json: file not found: ${file}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`--arms-json ${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseArmsObject(raw, `--arms-json ${file}`);
}

main().catch((err) => {
  console.error(`experiment failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
