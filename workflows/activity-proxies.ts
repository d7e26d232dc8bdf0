import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { activityTypeOf, type ActivitySteps, STEP_NAMES, type StepName } from '../domain/orchestration/steps';
import { LLM_FORECAST_METHODS } from '../domain/orchestration/method-catalog';
import { ACTIVITY_TABLE, type ActivityName, type ActivityRow, type DeskActivities } from './activity-table';
import { taskQueuesFor } from './task-queues';

export interface ProxyOptions {
  /** Run the table's pure steps as local activities (the session config's `localPureSteps`). @default false */
  localPureSteps?: boolean;
}

/** Options of one activity as its row of the activity table says, on the queues of `baseQueue`. */
function optionsOf(row: ActivityRow, baseQueue: string) {
  return {
    taskQueue: taskQueuesFor(baseQueue)[row.queue],
    startToCloseTimeout: row.startToCloseTimeout,
    heartbeatTimeout: row.heartbeatTimeout,
    retry: row.retry,
  };
}

/** One activity, scheduled as its row of the activity table says. */
export function activityFor<K extends ActivityName>(name: K, baseQueue: string, opts: ProxyOptions = {}) {
  const row: ActivityRow = ACTIVITY_TABLE[name];
  if (row.local === 'always' || (row.local && opts.localPureSteps))
    return proxyLocalActivities<Pick<DeskActivities, K>>({
      startToCloseTimeout: row.startToCloseTimeout,
      retry: row.retry,
    })[name];
  return proxyActivities<Pick<DeskActivities, K>>(optionsOf(row, baseQueue))[name];
}

type StepCall = ((input: never) => Promise<unknown>) & {
  executeWithOptions(o: { summary: string }, args: [unknown]): Promise<unknown>;
};

/** The activity-backed half of `Steps`, each call labelled in the UI with the step code and agent. */
export function activityStepsFor(baseQueue: string, opts: ProxyOptions = {}): ActivitySteps {
  const entries = STEP_NAMES.map(
    (step) => [step, labelled(activityFor(activityTypeOf(step), baseQueue, opts), step)] as const,
  );
  const steps = Object.fromEntries(entries) as ActivitySteps;
  // Steps that need neither the LLM nor a venue run as pure steps: no round trip to another queue, no recorded input when local.
  const quant = labelled(activityFor('R-A.forecastQuant', baseQueue, opts), 'forecast', 'R-A.forecastQuant');
  const paperSync = labelled(
    activityFor('X-S.syncAccountsPaper', baseQueue, opts),
    'syncAccounts',
    'X-S.syncAccountsPaper',
  );
  const paperExecute = labelled(
    activityFor('X-E.executeOrdersPaper', baseQueue, opts),
    'executeOrders',
    'X-E.executeOrdersPaper',
  );
  return {
    ...steps,
    forecast: (input) =>
      LLM_FORECAST_METHODS.has(input.method.id)
        ? steps.forecast(input)
        : (quant(input) as ReturnType<ActivitySteps['forecast']>),
    syncAccounts: (input) =>
      input.mode === 'live'
        ? steps.syncAccounts(input)
        : (paperSync(input) as ReturnType<ActivitySteps['syncAccounts']>),
    executeOrders: (input) =>
      input.mode === 'live'
        ? steps.executeOrders(input)
        : (paperExecute(input) as ReturnType<ActivitySteps['executeOrders']>),
  };
}

function labelled(fn: StepCall, step: StepName, type: string = activityTypeOf(step)) {
  return (input: unknown) => {
    const agent = (input as { agent?: { id?: string } }).agent?.id;
    const method = (input as { method?: { id?: string } }).method?.id;
    const order = (
      input as { order?: { direction?: string; size?: number; currentPrice?: number; leverage?: number } | null }
    ).order;
    const orderText = order ? `${order.direction} ${order.size} @ ${order.currentPrice} x${order.leverage}` : undefined;
    const summary = [type, agent, method, orderText].filter(Boolean).join(' · ');
    return fn.executeWithOptions({ summary }, [input]);
  };
}
