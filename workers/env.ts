import { config as loadDotenv } from 'dotenv';
import { readEnvBoolean } from '../adapters/config/env-values';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './temporal-server';

/** Reads `.env` once (without overriding the real environment). */
export function loadEnv(): NodeJS.ProcessEnv {
  loadDotenv({ path: resolve(PROJECT_ROOT, '.env'), quiet: true });
  return process.env;
}

export interface TemporalEnv {
  /** @default 'localhost:7233' */
  address: string;
  /** @default 'default' */
  namespace: string;
  /** Temporal Cloud API key (TEMPORAL_API_KEY); enables TLS. */
  apiKey: string | null;
  tls: boolean;
}

export function temporalEnv(env: NodeJS.ProcessEnv = loadEnv()): TemporalEnv {
  const apiKey = env.TEMPORAL_API_KEY || null;
  return {
    address: env.TEMPORAL_ADDRESS || 'localhost:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    apiKey,
    tls: apiKey !== null || (readEnvBoolean(env, 'TEMPORAL_TLS') ?? false),
  };
}

/** Where the desk keeps its durable files (blob store, logs, caches). @default '<project>/.data' */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DESK_DATA_DIR || resolve(PROJECT_ROOT, '.data'));
}

/**
 * Root of the claim-check store (snapshots under `blobs/`, LLM prompts, answers and cache under `llm/`).
 * History carries only hashes, so every worker of a deployment must read the same store: on several
 * machines point DESK_BLOB_DIR at a directory all of them mount (docs/scale-out.md).
 * @default the data directory, which is right for one machine
 */
export function blobDir(env: NodeJS.ProcessEnv = process.env, data: string = dataDir(env)): string {
  return resolve(env.DESK_BLOB_DIR || data);
}

/** The default task queue; the LLM and exchange queues derive from it. */
export const DEFAULT_TASK_QUEUE = 'trading-desk';
