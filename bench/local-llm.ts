/**
 * The local model's speed (`npm run bench`, section local_llm_*): a few bars of the fast runner with
 * LLM_PROVIDER=local on the test model scripts/setup --browser fetches, one agent per role, the LLM
 * risk review on, so R-A (when picked), T-A and M-A reason through node-llama-cpp. Figures only.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { loadLlmConfig } from '../adapters/llm/config';
import { JsonlCostLedger } from '../adapters/llm/cost-ledger';
import { createLlm } from '../adapters/llm/create-llm';
import { testModelPath } from '../adapters/llm/local-model-path';
import { loadLocalModel } from '../adapters/llm/local-transport';
import type { Llm } from '../adapters/llm/types';
import { FileBlobStore } from '../adapters/store/blob-store';
import { BAR_MS } from '../domain/schemas/config';
import { buildActivityDeps } from '../workers/build-deps';
import { runFastBacktest } from '../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../workers/session-config';
import { PROJECT_ROOT } from '../workers/temporal-server';

const DATA = resolve(PROJECT_ROOT, '../shared/data');
const FEED = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});
/** A window well before the 2025-07-01 holdout. */
const FROM_MS = Date.UTC(2024, 0, 1);
const BARS = 8;
/** Small answers keep a CPU-only step in seconds (the grammar caps strings at half of it). */
const MAX_TOKENS = '160';

export interface LocalLlmBench {
  local_llm_model: string;
  local_llm_threads: number | string;
  local_llm_bars?: number;
  local_llm_calls?: number;
  local_llm_s_per_call?: number;
  local_llm_s_per_bar?: number;
  local_llm_tokens_per_call?: number;
  local_llm_invalid_replies?: number;
  local_llm_contradictions?: number;
  local_llm_fallbacks?: number;
  local_llm_failures?: Record<string, number>;
  local_llm_skipped?: string;
}

/** Time spent inside reason(): repairs included, cache hits excluded (the cache is fresh). */
function timed(llm: Llm): { llm: Llm; seconds: () => number } {
  let total = 0;
  return {
    llm: {
      provider: llm.provider,
      model: llm.model,
      async reason(task) {
        const started = performance.now();
        try {
          return await llm.reason(task);
        } finally {
          total += (performance.now() - started) / 1000;
        }
      },
    },
    seconds: () => total,
  };
}

export async function benchLocalLlm(modelPath = process.env.LLM_MODEL_PATH ?? testModelPath()): Promise<LocalLlmBench> {
  const requested = process.env.LLM_THREADS ?? null;
  if (!existsSync(modelPath)) {
    return {
      local_llm_model: modelPath,
      local_llm_threads: requested ?? 'default',
      local_llm_skipped: `no model at ${modelPath}: run scripts/setup --browser (or set LLM_MODEL_PATH)`,
    };
  }
  const scratch = mkdtempSync(resolve(tmpdir(), 'desk-bench-local-'));
  try {
    const env = {
      LLM_PROVIDER: 'local',
      LLM_MODEL_PATH: modelPath,
      LLM_MAX_TOKENS: MAX_TOKENS,
      LLM_RISK_REVIEW: 'true',
      ...(process.env.LLM_THREADS ? { LLM_THREADS: process.env.LLM_THREADS } : {}),
    };
    const config = await buildSessionConfig({
      mode: 'backtest',
      feed: FEED,
      fromMs: FROM_MS,
      toMs: FROM_MS + (BARS - 1) * BAR_MS,
      sessionId: 'bench-local-llm',
      populations: { analyst: 1, researcher: 1, trader: 1, risk_manager: 1 },
    });
    const llm = timed(
      createLlm(loadLlmConfig(env), {
        blobs: new FileBlobStore(resolve(scratch, 'llm')),
        ledger: new JsonlCostLedger(resolve(scratch, 'ledger.jsonl')),
      }),
    );
    const started = performance.now();
    const run = await runFastBacktest(config, {
      ...buildActivityDeps({ dataDir: scratch, env, inMemory: true }),
      llm: llm.llm,
    });
    const wall = (performance.now() - started) / 1000;
    const usage = run.state.usage;
    // The threads the model actually ran on (LLM_THREADS capped at the physical cores, default one core fewer).
    const threads = (await loadLocalModel(modelPath, requested === null ? null : Number(requested))).threads;
    const bars = run.reports.length;
    return {
      local_llm_model: modelPath,
      local_llm_threads: threads,
      local_llm_bars: bars,
      local_llm_calls: usage.calls,
      local_llm_s_per_call: usage.calls === 0 ? 0 : round(llm.seconds() / usage.calls, 2),
      local_llm_s_per_bar: round(wall / Math.max(1, bars), 2),
      local_llm_tokens_per_call: usage.calls === 0 ? 0 : Math.round((usage.tokensIn + usage.tokensOut) / usage.calls),
      local_llm_invalid_replies: usage.invalidOutputs,
      local_llm_contradictions: usage.contradictions,
      local_llm_fallbacks: usage.fallbacks,
      local_llm_failures: usage.failures,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (require.main === module) {
  benchLocalLlm().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
