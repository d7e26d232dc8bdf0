import { DefaultLogger, type NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { ActivityDeps } from '../activities/deps';
import { createActivities } from '../activities/create-activities';
import { EXCHANGE_ACTIVITIES, LLM_ACTIVITIES, taskQueuesFor } from '../domain/orchestration/activity-contract';
import { researchQueueFor, SWEEP_ACTIVITIES } from '../domain/orchestration/sweep-contract';
import { createSweepActivities } from './sweep-activity';

export interface DeskWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built workflow bundle (tests build it once); else workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Concurrent LLM calls on this worker; match the provider's limits. @default 8 */
  llmConcurrency?: number;
  /** Sweep runs (whole fast backtests) this worker takes at once; one keeps a core busy. @default 1 */
  researchConcurrency?: number;
  /** Wraps the activities before they are split over the queues (test hooks, instrumentation). */
  wrapActivities?: (acts: Record<string, unknown>) => Record<string, unknown>;
}

function pick<T extends Record<string, unknown>>(all: T, names: readonly string[], keep: boolean): Partial<T> {
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name) === keep)) as Partial<T>;
}

/**
 * The three task queues of docs/architecture.md in one process: orchestration (workflows and pure steps), LLM
 * calls, exchange access; and a fourth for backtest sweep runs. Each can run on its own machines with the same code.
 */
export async function createDeskWorkers(opts: DeskWorkerOptions): Promise<Worker[]> {
  const q = taskQueuesFor(opts.taskQueue);
  const created = { ...createActivities(opts.deps), ...createSweepActivities(opts.deps) } as unknown as Record<string, unknown>;
  const acts = opts.wrapActivities ? opts.wrapActivities(created) : created;
  const special = [...LLM_ACTIVITIES, ...EXCHANGE_ACTIVITIES, ...SWEEP_ACTIVITIES];
  const common = { connection: opts.connection, namespace: opts.namespace ?? 'default' };
  const workflowSource = opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: require.resolve('../workflows') };
  return Promise.all([
    Worker.create({ ...common, taskQueue: q.orchestration, ...workflowSource, activities: pick(acts, special, false) }),
    Worker.create({ ...common, taskQueue: q.llm, activities: pick(acts, LLM_ACTIVITIES, true), maxConcurrentActivityTaskExecutions: opts.llmConcurrency ?? 8 }),
    Worker.create({ ...common, taskQueue: q.exchange, activities: pick(acts, EXCHANGE_ACTIVITIES, true), maxConcurrentActivityTaskExecutions: 4 }),
    Worker.create({ ...common, taskQueue: researchQueueFor(opts.taskQueue), activities: pick(acts, SWEEP_ACTIVITIES, true), maxConcurrentActivityTaskExecutions: opts.researchConcurrency ?? 1 }),
  ]);
}

/** Runs the workers until `signal` aborts (or one fails), then shuts all down. */
export async function runDeskWorkers(workers: Worker[], signal?: AbortSignal): Promise<void> {
  if (signal) signal.addEventListener('abort', () => workers.forEach((w) => w.shutdown()), { once: true });
  await Promise.all(workers.map((w) => w.run()));
}

let runtimeInstalled = false;

/** Worker logs at ERROR and above (DESK_LOG_LEVEL overrides), so the main job's own lines stay readable. */
export function installRuntimeLogger(level = process.env.DESK_LOG_LEVEL ?? 'ERROR'): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger(level as 'WARN') });
  runtimeInstalled = true;
}
