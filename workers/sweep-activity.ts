import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { hostname } from 'node:os';
import type { ActivityDeps } from '../activities/deps';
import { MemoryRiskLog } from '../adapters/risk-log/risk-log';
import { MemoryBlobStore } from '../adapters/store/blob-store';
import { MemoryRunLog } from '../adapters/store/run-log';
import { FailureType } from '../domain/failures';
import { summarizeRun } from '../domain/metrics/run-summary';
import type { SweepActivities, SweepRunInput } from '../domain/orchestration/sweep-contract';
import type { SessionConfigInput } from '../domain/schemas/config';
import {
  SweepRunResultSchema,
  SweepRunSpecSchema,
  type SweepRunResult,
  type SweepRunSpec,
} from '../domain/schemas/sweep';
import { runFastBacktest, type RunResult } from './fast-runner';
import { buildSessionConfig } from './session-config';

/** A run's own in-memory stores around the worker's LLM and market data: runs never share state. */
export function runDepsFrom(deps: ActivityDeps): ActivityDeps {
  return { ...deps, blobs: new MemoryBlobStore(), riskLog: new MemoryRiskLog(), runLog: new MemoryRunLog() };
}

/** The run's session config: the arm's plain overrides, then what the sweep fixes (backtest, feed, seed, window). */
export async function configForRun(input: SweepRunInput) {
  const run = SweepRunSpecSchema.parse(input.run);
  try {
    return await buildSessionConfig({
      ...(run.arm.overrides as Partial<SessionConfigInput>),
      mode: 'backtest',
      feed: input.feed,
      seed: run.seed,
      fromMs: run.window.fromMs,
      toMs: run.window.toMs,
      sessionId: `sweep-${run.id}`,
    });
  } catch (err) {
    // A bad arm or window fails the same way on every worker: no retry.
    throw ApplicationFailure.nonRetryable(
      `sweep run ${run.id} (arm ${run.arm.name}): ${err instanceof Error ? err.message : String(err)}`,
      FailureType.ConfigInvalid,
    );
  }
}

/** One fast-runner backtest; `onBar` may heartbeat and throw to stop it. */
export async function runSweepBacktest(
  input: SweepRunInput,
  deps: ActivityDeps,
  onBar?: (done: number, total: number) => void | Promise<void>,
): Promise<RunResult> {
  return runFastBacktest(await configForRun(input), runDepsFrom(deps), onBar);
}

export function toRunResult(
  run: SweepRunSpec,
  result: RunResult,
  extra: { attempt: number; worker: string; seconds: number },
): SweepRunResult {
  const first = result.reports[0]?.barCloseMs ?? run.window.fromMs;
  const last = result.reports.at(-1)?.barCloseMs ?? run.window.toMs;
  return SweepRunResultSchema.parse({
    id: run.id,
    arm: run.arm.name,
    seed: run.seed,
    from: new Date(first).toISOString(),
    to: new Date(last).toISOString(),
    ...summarizeRun(result.state, result.reports),
    ...extra,
  });
}

/**
 * S-W: the sweep's one activity. Heartbeats its progress every N bars (and yields there, so the worker's
 * other tasks and the heartbeat itself get through); a cancelled or timed-out attempt stops at the next beat.
 */
export function createSweepActivities(deps: ActivityDeps): SweepActivities {
  return {
    async 'S-W.runBacktest'(input: SweepRunInput): Promise<SweepRunResult> {
      const ctx = Context.current();
      const started = Date.now();
      const every = Math.max(1, input.heartbeatEveryBars);
      ctx.heartbeat({ done: 0 });
      const result = await runSweepBacktest(input, deps, async (done, total) => {
        if (done % every !== 0 && done !== total) return;
        ctx.heartbeat({ done, total });
        await new Promise((r) => setImmediate(r));
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('sweep run cancelled');
      });
      return toRunResult(input.run, result, {
        attempt: ctx.info.attempt,
        worker: `${process.pid}@${hostname()}`,
        seconds: (Date.now() - started) / 1000,
      });
    },
  };
}
