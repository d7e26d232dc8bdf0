import { executeChild, workflowInfo } from '@temporalio/workflow';
import type { SweepRunInput } from '../domain/orchestration/sweep-contract';
import { activityFor } from './activity-proxies';
import { type SweepInputArgs, SweepInputSchema, type SweepRunResult } from '../domain/schemas/sweep';

export interface SweepResult {
  sweepId: string;
  runs: SweepRunResult[];
}

/**
 * A backtest sweep across the fleet: one child per (window, seed, arm), each a fast-runner backtest on
 * whichever research worker is free; the parent gathers the results in run order.
 */
export async function backtestSweepWorkflow(args: SweepInputArgs): Promise<SweepResult> {
  const input = SweepInputSchema.parse(args);
  const parent = workflowInfo().workflowId;
  const runs = await Promise.all(
    input.runs.map((run) =>
      executeChild(sweepRunWorkflow, {
        workflowId: `${parent}-${run.id}`,
        args: [{ feed: input.feed, run, heartbeatEveryBars: input.heartbeatEveryBars }],
        staticSummary: `sweep run · ${run.arm.name} · seed ${run.seed} · ${new Date(run.window.fromMs).toISOString().slice(0, 10)} → ${new Date(run.window.toMs).toISOString().slice(0, 10)}`,
      }),
    ),
  );
  return { sweepId: input.sweepId, runs };
}

/**
 * One run as one heartbeating activity. A worker killed mid-run stops heartbeating: after the heartbeat
 * timeout the run starts over on another worker (a fast backtest is deterministic, so the result is the same).
 */
export async function sweepRunWorkflow(input: SweepRunInput): Promise<SweepRunResult> {
  return activityFor('S-W.runBacktest', workflowInfo().taskQueue)(input);
}
