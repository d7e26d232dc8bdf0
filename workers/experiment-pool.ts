import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Feed } from '../domain/schemas/config';
import type { ExperimentRunResult, ExperimentRunSpec } from '../domain/schemas/experiment';
import { PROJECT_ROOT } from './temporal-server';

export interface ParentMessage {
  kind: 'run';
  run: ExperimentRunSpec;
  feed: Feed;
}
export type ChildMessage =
  { kind: 'done'; id: string; result: ExperimentRunResult } | { kind: 'failed'; id: string; message: string };

export interface PoolOptions {
  /** Child processes running at once. */
  jobs: number;
  /** The children's environment (LLM settings for the `llm` arm, DESK_DATA_DIR). */
  env: NodeJS.ProcessEnv;
  onResult(result: ExperimentRunResult): void;
  onFailure(run: ExperimentRunSpec, message: string): void;
}

const CHILD = resolve(__dirname, 'experiment-child.ts');

/**
 * Runs every spec in `jobs` child processes (TypeScript through tsx, like the scripts), one run at a time
 * per child, next run as soon as one finishes. A child that dies fails the run it held and is replaced.
 */
export async function runExperimentPool(
  runs: readonly ExperimentRunSpec[],
  feed: Feed,
  opts: PoolOptions,
): Promise<void> {
  const queue = [...runs];
  const jobs = Math.max(1, Math.min(opts.jobs, queue.length));
  let live = 0;
  return new Promise<void>((done) => {
    const start = () => {
      live++;
      const child: ChildProcess = fork(CHILD, [], {
        cwd: PROJECT_ROOT,
        env: opts.env,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let current: ExperimentRunSpec | null = null;
      const next = () => {
        current = queue.shift() ?? null;
        if (current) child.send({ kind: 'run', run: current, feed } satisfies ParentMessage);
        else child.disconnect();
      };
      child.on('message', (m: ChildMessage) => {
        if (m.kind === 'done') opts.onResult(m.result);
        else if (current) opts.onFailure(current, m.message);
        next();
      });
      child.on('error', (err) => console.error(`experiment process ${child.pid ?? '(not started)'}: ${err.message}`));
      child.on('exit', (code, signal) => {
        live--;
        if (current) {
          opts.onFailure(
            current,
            `experiment process ${child.pid} exited (${signal ?? `code ${code}`}) during the run`,
          );
          current = null;
          if (queue.length > 0) start();
        }
        if (live === 0) done();
      });
      next();
    };
    if (queue.length === 0) {
      done();
      return;
    }
    for (let i = 0; i < jobs; i++) start();
  });
}
