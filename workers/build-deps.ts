import type { Client } from '@temporalio/client';
import { resolve } from 'node:path';
import type { ActivityDeps } from '../activities/deps';
import { readEnvBoolean } from '../adapters/config/env-values';
import { describeLlmConfigWarnings, loadLlmConfig, type LlmConfig } from '../adapters/llm/config';
import { JsonlCostLedger } from '../adapters/llm/cost-ledger';
import { createLlm } from '../adapters/llm/create-llm';
import { createLlmChooser } from '../adapters/llm/llm-chooser';
import type { Llm } from '../adapters/llm/types';
import { openMarketData } from '../adapters/market/market-data';
import { openNewsSource } from '../adapters/news/news-source';
import { JsonlRiskLog, MemoryRiskLog } from '../adapters/risk-log/risk-log';
import { FileBlobStore, MemoryBlobStore, type BlobStore } from '../adapters/store/blob-store';
import { JsonlRunLog, MemoryRunLog } from '../adapters/store/run-log';
import type { Feed } from '../domain/schemas/config';
import { blobDir } from './env';
import { buildLiveExchange, type LiveOptions } from './live-config';

export interface DepsOptions {
  dataDir: string;
  /** The claim-check store every worker shares. @default DESK_BLOB_DIR in env, else dataDir */
  blobDir?: string;
  env: NodeJS.ProcessEnv;
  /** In-memory stores (fast backtests): nothing but the LLM cache touches the disk. */
  inMemory?: boolean;
  client?: Client;
  /** Override the LLM (tests). */
  llm?: Llm;
  /** npm start's --live / --real-money; absent = paper only. */
  live?: LiveOptions;
}

/** The production composition of the activities' dependencies. */
export function buildActivityDeps(opts: DepsOptions): ActivityDeps {
  const shared = opts.blobDir ?? blobDir(opts.env, resolve(opts.dataDir));
  const blobs: BlobStore = opts.inMemory ? new MemoryBlobStore() : new FileBlobStore(resolve(shared, 'blobs'));
  // The LLM cache must survive runs ("a rerun makes zero LLM calls"), so it is always on disk; in the
  // shared store, so prompts and answers are readable from any machine and a retry elsewhere hits the cache.
  const llmBlobs = new FileBlobStore(resolve(shared, 'llm'));
  // One ledger for every client, so the budgets count a session's calls whichever LLM it chose.
  const ledger = new JsonlCostLedger(resolve(opts.dataDir, 'llm-ledger.jsonl'));
  const build = (config: LlmConfig) => createLlm(config, { blobs: llmBlobs, ledger });
  const llm = opts.llm ?? createConfiguredLlm(opts.env, build);
  const client = opts.client;
  return {
    blobs,
    market: (feed: Feed) => openMarketData(feed, { cacheDir: resolve(opts.dataDir, 'market-cache') }),
    news: (feed: Feed) => (feed.kind === 'csv' && feed.news.length > 0 ? openNewsSource(feed.news) : null),
    llm,
    chooseLlm: createLlmChooser({ env: opts.env, base: llm, build }),
    riskLog: opts.inMemory ? new MemoryRiskLog() : new JsonlRiskLog(resolve(opts.dataDir, 'risk-log.jsonl')),
    runLog: opts.inMemory ? new MemoryRunLog() : new JsonlRunLog(resolve(opts.dataDir, 'runs')),
    setSchedulePaused: client ? createSchedulePauser(client) : undefined,
    live: buildLiveExchange(opts.env, opts.live ?? { live: false, realMoney: false }),
    llmRiskReview: readEnvBoolean(opts.env, 'LLM_RISK_REVIEW') ?? false,
    now: () => Date.now(),
  };
}

/** The configured LLM; the warnings the configuration promises (a zero budget) are printed, not swallowed. */
function createConfiguredLlm(env: NodeJS.ProcessEnv, build: (config: LlmConfig) => Llm): Llm {
  const config = loadLlmConfig(env);
  for (const warning of describeLlmConfigWarnings(config)) console.warn(`warning: ${warning}`);
  return build(config);
}

/** What the O-S activity does: pause or unpause a Schedule with a note the UI shows. */
export function createSchedulePauser(client: Client) {
  return async (scheduleId: string, paused: boolean, note: string): Promise<void> => {
    const handle = client.schedule.getHandle(scheduleId);
    if (paused) await handle.pause(note);
    else await handle.unpause(note);
  };
}
