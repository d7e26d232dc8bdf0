import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowCancellationType,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import { listBacktestBars } from '../domain/orchestration/backtest-bars';
import { iterationIdFor, type IterationOutcome } from '../domain/orchestration/run-iteration';
import {
  MAX_FAILURE_STREAK,
  applyFlatten,
  equityNow,
  initialSessionState,
} from '../domain/orchestration/session-state';
import {
  addHalts,
  flattenReportOf,
  haltTrading,
  isHalted,
  resumeTrading,
  upgradeState,
} from '../domain/orchestration/halt-events';
import {
  applyIteration,
  withStoredChanges,
  hasExposure,
  iterationFundOf,
  nextBarFor,
  recordFailedIteration,
} from '../domain/orchestration/session-loop';
import { statusOf } from '../domain/orchestration/status';
import { type SessionConfigInput, SessionConfigSchema } from '../domain/schemas/config';
import type { ClosedTrade } from '../domain/schemas/account';
import type { HaltEvent, SessionState } from '../domain/schemas/session';
import { activityFor } from './activity-proxies';
import { tradingIterationWorkflow } from './iteration';
import {
  describeChange,
  nextBarFrom,
  validateLlmChange,
  validateRiskChange,
} from '../domain/orchestration/live-changes';
import {
  barClosedSignal,
  emergencyStopSignal,
  emergencyStopUpdate,
  pauseSignal,
  pauseUpdate,
  resumeSignal,
  resumeUpdate,
  setLlmUpdate,
  setRiskLimitsUpdate,
  stateQuery,
  statusQuery,
} from './messages';
import { SA } from './search-attributes';

export interface SessionInput {
  config: SessionConfigInput;
  /** Carried across continue-as-new. */
  state?: SessionState;
  pendingBars?: number[];
  /** The Schedule that drives this session (null in a backtest, which walks the bars itself). */
  scheduleId?: string | null;
  /** Iterations per run before continue-as-new (history stays small). @default 100 */
  iterationsPerRun?: number;
}

export interface SessionResult {
  state: SessionState;
  reason: string;
}

const ITERATIONS_PER_RUN = 100;

/**
 * The fund as a durable entity: account, positions, populations, round counter, trading state.
 * One iteration child per closed bar; emergency stop by signal; continue-as-new to keep history small.
 */
export async function tradingSessionWorkflow(input: SessionInput): Promise<SessionResult> {
  const info = workflowInfo();
  const config = SessionConfigSchema.parse(input.config);
  let state: SessionState = input.state
    ? upgradeState(input.state, config)
    : initialSessionState(config, config.fromMs ?? Date.now());
  const pending: number[] = [...(input.pendingBars ?? [])];
  const scheduleId = input.scheduleId ?? null;
  const flattenAccount = activityFor('X-F.flattenAccount', info.taskQueue);
  const setSchedulePausedActivity = activityFor('O-S.setSchedulePaused', info.taskQueue);
  const recordIteration = activityFor('O-R.recordIteration', info.taskQueue);
  const loadChanges = activityFor('O-L.loadChanges', info.taskQueue);
  // Local: the populations and learning state go to the shared blob store; only their refs are recorded (docs/architecture.md).
  const storeState = activityFor('O-L.storeState', info.taskQueue);
  let iterationScope: CancellationScope | null = null;
  let flattening: Promise<void> | null = null;
  let runs = 0;
  const iterationsPerRun = input.iterationsPerRun ?? ITERATIONS_PER_RUN;
  let currentBar: number | null = null;

  upsertSearchAttributes([
    { key: SA.symbol, value: config.symbol },
    { key: SA.mode, value: config.mode },
    { key: SA.session, value: config.sessionId },
  ]);

  const setSchedulePaused = async (paused: boolean, note: string) => {
    if (scheduleId) await setSchedulePausedActivity({ scheduleId, paused, note });
  };

  /**
   * Cancel every open order and close the position reduce-only, in a scope nothing can cancel.
   * Always works on the newest account: if an iteration result lands while a flatten is in flight,
   * the stale flatten is dropped and the newer account is flattened in turn.
   */
  const flatten = (reason: string): Promise<void> => {
    flattening ??= CancellationScope.nonCancellable(async () => {
      const closedHere: ClosedTrade[] = [];
      while (hasExposure(state.account)) {
        const account = state.account;
        // Simulated feeds run on bar time; live trading on the clock.
        const barCloseMs = state.lastBarCloseMs ?? 0;
        const atMs = config.feed.kind === 'live' ? Date.now() : barCloseMs;
        const ctx = {
          sessionId: config.sessionId,
          iterationId: `${iterationIdFor(config.sessionId, barCloseMs)}-flatten`,
          barCloseMs,
          round: state.round,
          symbol: config.symbol,
        };
        const flat = await flattenAccount({ ctx, mode: config.mode, account, costs: config.costs, reason, atMs });
        if (state.account !== account) continue;
        const applied = applyFlatten(state, flat);
        state = applied.state;
        closedHere.push(...applied.closed);
      }
      // Trades closed outside an iteration reach the run log too, so every report reconciles with the account.
      if (closedHere.length > 0) {
        const barCloseMs = state.lastBarCloseMs ?? 0;
        await recordIteration({
          sessionId: config.sessionId,
          report: flattenReportOf({
            iterationId: `${iterationIdFor(config.sessionId, barCloseMs)}-flatten-${closedHere[0]!.tradeId}`,
            barCloseMs,
            round: state.round,
            reason: `flatten: ${reason}`,
            account: state.account,
            equity: equityNow(state.account),
            closed: closedHere,
            halts: [],
          }),
        });
      }
    }).finally(() => {
      flattening = null;
    });
    return flattening;
  };

  /** Simulated feeds run on bar time; live trading on the clock. */
  const eventTime = () => (config.feed.kind === 'live' ? Date.now() : (state.lastBarCloseMs ?? config.fromMs ?? 0));
  const recordHalt = (kind: HaltEvent['kind'], source: HaltEvent['source'], reason: string) => {
    state = addHalts(state, [
      { atMs: eventTime(), kind, source, reason, equity: equityNow(state.account), untilMs: null },
    ]);
  };

  const halt = async (reason: string) => {
    state = haltTrading(state, reason);
    iterationScope?.cancel();
    await flatten(reason);
    await setSchedulePaused(true, `emergency stop: ${reason}`);
  };

  const status = () => statusOf(state, scheduleId, (ms) => new Date(ms).toISOString());
  setHandler(statusQuery, status);
  setHandler(stateQuery, () => state);

  // The operator's controls: one body each, sent as a signal (UI, `npm run stop`) or an Update (returns the status).
  const emergencyStop = async (reason: string | undefined) => {
    log.warn('emergency stop', { reason });
    recordHalt('halt', 'kill_switch', reason || 'emergency stop');
    await halt(reason || 'emergency stop');
  };
  const resume = async () => {
    state = resumeTrading(state, eventTime(), equityNow(state.account));
    await setSchedulePaused(false, 'resumed');
  };
  const pause = async () => {
    state = { ...state, paused: true };
    await setSchedulePaused(true, 'paused by operator');
  };
  setHandler(emergencyStopSignal, emergencyStop);
  setHandler(resumeSignal, resume);
  setHandler(pauseSignal, pause);
  setHandler(emergencyStopUpdate, async (reason) => (await emergencyStop(reason), status()), {
    validator: (reason) => {
      if (reason !== undefined && reason !== null && typeof reason !== 'string')
        throw new Error(`emergencyStop takes a reason string; got ${JSON.stringify(reason)}`);
    },
  });
  setHandler(resumeUpdate, async () => (await resume(), status()), { validator: noArguments('resume') });
  setHandler(pauseUpdate, async () => (await pause(), status()), { validator: noArguments('pause') });

  // Live changes (docs/live-changes.md): the validator refuses a bad change before it enters the history;
  // the config is the state's, so the iteration in flight keeps its settings and continue-as-new carries the change.
  const fromBar = () =>
    nextBarFrom({
      lastStartedMs: currentBar ?? state.lastBarCloseMs,
      pending,
      barMs: state.config.barMs,
      fromMs: state.config.fromMs,
      live: state.config.feed.kind === 'live',
      nowMs: Date.now(),
    });
  const applyChange = (config: SessionState['config'], what: string) => {
    const result = describeChange(state.config, config, fromBar());
    state = { ...state, config };
    log.info(`${what}: live change`, { changed: result.changed, fromBar: result.fromBar });
    return result;
  };
  setHandler(
    setRiskLimitsUpdate,
    (patch) => {
      const checked = validateRiskChange(state.config.risk, patch);
      if (!checked.ok) throw refused(checked.errors);
      return applyChange({ ...state.config, risk: checked.value }, 'setRiskLimits');
    },
    { validator: (patch) => rejectUnless(validateRiskChange(state.config.risk, patch)) },
  );
  setHandler(
    setLlmUpdate,
    (choice) => {
      const checked = validateLlmChange(choice);
      if (!checked.ok) throw refused(checked.errors);
      return applyChange({ ...state.config, llm: checked.value }, 'setLlm');
    },
    { validator: (choice) => rejectUnless(validateLlmChange(choice)) },
  );
  setHandler(barClosedSignal, ({ firedAtMs }) => {
    // The bar in flight counts as taken: a tick during an iteration asks for the bar after it.
    const next = nextBarFor(state, currentBar === null ? pending : [currentBar, ...pending], firedAtMs);
    // Overlap skip: at most one bar waits behind the one in flight; late or duplicate fires do nothing.
    if (next !== null && pending.length === 0) pending.push(next);
  });

  if (config.mode === 'backtest' && input.state === undefined) pending.push(...listBacktestBars(config));

  for (;;) {
    await condition(
      () =>
        (pending.length > 0 && !state.paused) ||
        workflowInfo().continueAsNewSuggested ||
        runs >= iterationsPerRun ||
        isFinished(state),
    );
    if (isFinished(state)) break;
    if (workflowInfo().continueAsNewSuggested || runs >= iterationsPerRun) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof tradingSessionWorkflow>({
        // The state's config: it carries the live changes.
        config: state.config,
        state,
        pendingBars: pending,
        scheduleId,
        iterationsPerRun,
      });
    }
    const barCloseMs = pending.shift()!;
    if (state.lastBarCloseMs !== null && barCloseMs <= state.lastBarCloseMs) continue;
    runs++;
    // Never trade on an account a kill-switch flatten is still closing.
    await condition(() => flattening === null);
    currentBar = barCloseMs;
    const wasHalted = isHalted(state);
    const outcome = await runOneIteration(barCloseMs);
    if (outcome) {
      const alertBefore = state.llmAlert ?? null;
      // The accounts count whatever happens; E's changes are read here, once (docs/architecture.md).
      const withChanges = await withStoredChanges(outcome, loadChanges, (err) =>
        log.warn("the Evaluator's changes could not be read: this bar's learning is lost", {
          barCloseMs,
          error: String(err),
        }),
      );
      state = applyIteration(state, withChanges);
      await recordIteration({ sessionId: config.sessionId, report: outcome.report });
      if (state.llmAlert && !alertBefore) log.warn('LLM use halted', { alert: state.llmAlert });
      // A refused key does not heal: a backtest stops at once (the runner reports it and fails).
      if (state.llmAlert && config.mode === 'backtest') break;
    } else if (isHalted(state)) {
      state = { ...state, lastBarCloseMs: barCloseMs, lastDecision: 'halted' };
    } else {
      state = recordFailedIteration(state, barCloseMs);
    }
    // Taken until the fund has booked it (reading E's changes awaits): a tick meanwhile asks for the bar after.
    currentBar = null;
    // A breaker that halted this bar pauses the schedule like the kill switch; the iteration already
    // flattened the book, unless its flatten failed: then the kill-switch path flattens and reports it.
    if (isHalted(state) && (!wasHalted || hasExposure(state.account)))
      await halt(state.tradingStateReason ?? 'circuit breaker');
    if (!isHalted(state) && state.failureStreak >= MAX_FAILURE_STREAK) {
      const reason = `${state.failureStreak} iterations failed in a row`;
      recordHalt('halt', 'failures', reason);
      await halt(reason);
    }
  }
  await condition(allHandlersFinished);
  return {
    state,
    reason: isHalted(state)
      ? `halted: ${state.tradingStateReason}`
      : config.mode === 'backtest' && state.llmAlert
        ? `stopped: ${state.llmAlert}`
        : 'finished',
  };

  async function runOneIteration(barCloseMs: number): Promise<IterationOutcome | null> {
    const scope = new CancellationScope();
    iterationScope = scope;
    try {
      return await scope.run(async () =>
        executeChild(tradingIterationWorkflow, {
          workflowId: iterationIdFor(config.sessionId, barCloseMs),
          args: [{ fund: await iterationFundOf(state, storeState), barCloseMs }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `${config.symbol} · ${config.mode} · bar ${new Date(barCloseMs).toISOString()}`,
          cancellationType: ChildWorkflowCancellationType.TRY_CANCEL,
          // An order waiting for the operator extends the hour by its approval timeout (docs/approval.md).
          workflowExecutionTimeout:
            3_600_000 + (config.approval.aboveNotional === null ? 0 : config.approval.timeoutMs),
        }),
      );
    } catch (err) {
      // A failed or cancelled iteration never leaves the fund without a decision: no trade, logged.
      log.warn('iteration ended without a result', { barCloseMs, cancelled: isCancellation(err), error: String(err) });
      return null;
    } finally {
      iterationScope = null;
    }
  }
}

/** The validator ran on the same state, so this does not happen; if it did, the Update fails, not the workflow task. */
function refused(errors: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: 'Config.Invalid', message: errors.join('; '), nonRetryable: true });
}

/** An Update validator: throwing refuses the call before it enters the history. */
function rejectUnless(checked: { ok: true } | { ok: false; errors: string[] }): void {
  if (!checked.ok) throw new Error(checked.errors.join('; '));
}

function noArguments(name: string) {
  return (...args: unknown[]) => {
    if (args.some((a) => a !== undefined && a !== null))
      throw new Error(`${name} takes no input; got ${JSON.stringify(args)}`);
  };
}

function isFinished(state: SessionState): boolean {
  const { maxIterations, toMs, mode } = state.config;
  if (maxIterations !== null && state.round >= maxIterations) return true;
  return (
    (mode === 'backtest' || state.config.feed.kind !== 'live') &&
    toMs !== null &&
    state.lastBarCloseMs !== null &&
    state.lastBarCloseMs >= toMs
  );
}
