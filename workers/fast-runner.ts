import type { ActivityDeps } from '../activities/deps';
import { createActivities } from '../activities/create-activities';
import { RunLocalBlobStore } from '../adapters/store/blob-store';
import { directSteps, type DirectStepOptions } from '../activities/direct-steps';
import { backtestStopMessage } from '../domain/llm/llm-alert';
import { listBacktestBars } from '../domain/orchestration/backtest-bars';
import { iterationIdFor, runIteration } from '../domain/orchestration/run-iteration';
import { initialSessionState } from '../domain/orchestration/session-state';
import { applyIteration, iterationFundOf, withStoredChanges } from '../domain/orchestration/session-loop';
import { isCancellation } from '../workflows/is-cancellation';
import type { SessionConfig } from '../domain/schemas/config';
import type { IterationReport, SessionState } from '../domain/schemas/session';

export interface RunResult {
  state: SessionState;
  reports: IterationReport[];
}

/**
 * The fast runner: the same domain orchestration and the same activity code as the Temporal
 * iteration workflow, called in-process. Years of history in seconds; a parity test pins it.
 */
export async function runFastBacktest(
  config: SessionConfig,
  deps: ActivityDeps,
  onBar?: (done: number, total: number, report: IterationReport, state: SessionState) => unknown,
  stepOptions: DirectStepOptions = {},
): Promise<RunResult> {
  // In-process, inputs never cross a serialization boundary: activities check outputs only
  // (activities/validate.ts); a caller may still ask for full input checks with trustInputs: false.
  // Snapshots live in a run-local store: their refs never leave this process, so they need no hashing.
  // The learning state goes through it by reference like in the Temporal runner (same activities, same view).
  const acts = createActivities({ trustInputs: true, ...deps, blobs: new RunLocalBlobStore() });
  const steps = directSteps(acts, stepOptions);
  const bars = listBacktestBars(config);
  let state = initialSessionState(config, config.fromMs!);
  const reports: IterationReport[] = [];
  for (const barCloseMs of bars) {
    const outcome = await runIteration(
      steps,
      await iterationFundOf(state, acts['O-L.storeState']),
      { iterationId: iterationIdFor(config.sessionId, barCloseMs), barCloseMs },
      isCancellation,
    );
    // A halt's flatten happens inside the iteration, so its closing trade is in this bar's report.
    // In one process a missing blob is a bug, not an outage: fail the run.
    const withChanges = await withStoredChanges(outcome, acts['O-L.loadChanges'], (err) => {
      throw err;
    });
    state = applyIteration(state, withChanges);
    reports.push(outcome.report);
    await deps.runLog.append(config.sessionId, outcome.report);
    // Awaited: a heartbeating caller (the sweep activity) yields to the event loop here.
    await onBar?.(reports.length, bars.length, outcome.report, state);
    // A refused key does not heal: stop at once rather than finish the run on the offline reasoner.
    if (state.llmAlert) throw new Error(backtestStopMessage(state.llmAlert));
    if (config.maxIterations !== null && state.round >= config.maxIterations) break;
  }
  return { state, reports };
}
