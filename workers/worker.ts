import { DefaultLogger, type NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { ActivityDeps } from '../activities/deps';
import type { DeskVersion } from '../domain/deployment/version';
import { createActivities } from '../activities/create-activities';
import { readLlmConcurrency } from '../adapters/llm/config';
import { queueKindOf } from '../workflows/activity-table';
import { type QueueKind, taskQueuesFor } from '../workflows/task-queues';
import { createSweepActivities } from './sweep-activity';

export interface DeskWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built workflow bundle (tests build it once); else workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Concurrent LLM steps on this worker. @default LLM_CONCURRENCY, the LLM client's own limit, so no slot waits on the client */
  llmConcurrency?: number;
  /** Sweep runs (whole fast backtests) this worker takes at once; one keeps a core busy. @default 1 */
  researchConcurrency?: number;
  /** Wraps the activities before they are split over the queues (test hooks, instrumentation). */
  wrapActivities?: (acts: Record<string, unknown>) => Record<string, unknown>;
  /**
   * The Worker Deployment version these workers run (docs/deploys.md); null or absent: unversioned.
   * All four queues' workers are versioned alike, so a pinned iteration's activities run on its own build too.
   */
  version?: DeskVersion | null;
}

/** The activities the activity table puts on one queue. */
function activitiesOn(kind: QueueKind, all: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).filter(([name]) => queueKindOf(name) === kind));
}

/**
 * The three task queues of docs/architecture.md in one process: orchestration (workflows and pure steps), LLM
 * calls, exchange access; and a fourth for backtest sweep runs. Each can run on its own machines with the same code.
 */
export async function createDeskWorkers(opts: DeskWorkerOptions): Promise<Worker[]> {
  const q = taskQueuesFor(opts.taskQueue);
  const created: Record<string, unknown> = { ...createActivities(opts.deps), ...createSweepActivities(opts.deps) };
  const acts = opts.wrapActivities ? opts.wrapActivities(created) : created;
  const common = {
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    // Workflows say how they move between builds (workflows/versioning.ts); any other stays on its build.
    ...(opts.version
      ? {
          workerDeploymentOptions: {
            useWorkerVersioning: true as const,
            version: opts.version,
            defaultVersioningBehavior: 'PINNED' as const,
          },
        }
      : {}),
  };
  const workflowSource = opts.workflowBundle
    ? { workflowBundle: opts.workflowBundle }
    : { workflowsPath: require.resolve('../workflows') };
  return Promise.all([
    Worker.create({
      ...common,
      taskQueue: q.orchestration,
      ...workflowSource,
      activities: activitiesOn('orchestration', acts),
    }),
    Worker.create({
      ...common,
      taskQueue: q.llm,
      activities: activitiesOn('llm', acts),
      maxConcurrentActivityTaskExecutions: opts.llmConcurrency ?? readLlmConcurrency(process.env),
    }),
    Worker.create({
      ...common,
      taskQueue: q.exchange,
      activities: activitiesOn('exchange', acts),
      maxConcurrentActivityTaskExecutions: 4,
    }),
    Worker.create({
      ...common,
      taskQueue: q.research,
      activities: activitiesOn('research', acts),
      maxConcurrentActivityTaskExecutions: opts.researchConcurrency ?? 1,
    }),
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
