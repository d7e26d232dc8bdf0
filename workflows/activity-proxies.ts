import type { RetryPolicy } from '@temporalio/common';
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ActivityContract } from '../domain/orchestration/activity-contract';
import { EXCHANGE_ACTIVITIES, LLM_ACTIVITIES, taskQueuesFor } from '../domain/orchestration/activity-contract';
import { STEP_RETRY_POLICY } from '../domain/orchestration/retry-policy';
import { activityTypeOf, type ActivitySteps, STEP_NAMES, type StepName } from '../domain/orchestration/steps';

/** The shared step policy (the fast runner follows the same one); durations in ms. */
const retry: RetryPolicy = {
  initialInterval: STEP_RETRY_POLICY.initialIntervalMs,
  backoffCoefficient: STEP_RETRY_POLICY.backoffCoefficient,
  maximumInterval: STEP_RETRY_POLICY.maximumIntervalMs,
  maximumAttempts: STEP_RETRY_POLICY.maximumAttempts,
  nonRetryableErrorTypes: [...STEP_RETRY_POLICY.nonRetryableErrorTypes],
};

export interface ProxyOptions {
  /**
   * Run the pure steps as local activities: no server round trip per step (markers in the history
   * instead of activity events), for fast backtests through the real workflows. @default false
   */
  localPureSteps?: boolean;
}

/**
 * Activity proxies per task queue. Pure steps are short (a killed worker's attempt is retried after
 * 10 s); LLM calls get minutes; exchange calls 30 s and retries that reconcile before resending.
 */
export function activitiesFor(baseQueue: string, opts: ProxyOptions = {}): ActivityContract {
  const q = taskQueuesFor(baseQueue);
  const pure = opts.localPureSteps
    ? proxyLocalActivities<ActivityContract>({ startToCloseTimeout: '10s', retry })
    : proxyActivities<ActivityContract>({ taskQueue: q.orchestration, startToCloseTimeout: '10s', retry });
  const llm = proxyActivities<ActivityContract>({ taskQueue: q.llm, startToCloseTimeout: '3m', retry });
  const exchange = proxyActivities<ActivityContract>({ taskQueue: q.exchange, startToCloseTimeout: '30s', retry });
  const pick = (name: string) => ((LLM_ACTIVITIES as readonly string[]).includes(name) ? llm : (EXCHANGE_ACTIVITIES as readonly string[]).includes(name) ? exchange : pure);
  return new Proxy({} as ActivityContract, { get: (_t, name: string) => (pick(name) as unknown as Record<string, unknown>)[name] });
}

/** The activity-backed half of `Steps`, each call labelled in the UI with the step code and agent. */
export function activityStepsFor(baseQueue: string, opts: ProxyOptions = {}): ActivitySteps {
  const acts = activitiesFor(baseQueue, opts) as unknown as Record<string, ActivityFn>;
  const entries = STEP_NAMES.map((step) => [step, labelled(acts[activityTypeOf(step)]!, step)] as const);
  return Object.fromEntries(entries) as unknown as ActivitySteps;
}

type ActivityFn = ((input: unknown) => Promise<unknown>) & { executeWithOptions?: (o: { summary: string }, args: unknown[]) => Promise<unknown> };

function labelled(fn: ActivityFn, step: StepName) {
  return (input: unknown) => {
    const agent = (input as { agent?: { id?: string } }).agent?.id;
    const method = (input as { method?: { id?: string } }).method?.id;
    const order = (input as { order?: { direction?: string; size?: number; currentPrice?: number; leverage?: number } | null }).order;
    const orderText = order ? `${order.direction} ${order.size} @ ${order.currentPrice} x${order.leverage}` : undefined;
    const summary = [activityTypeOf(step), agent, method, orderText].filter(Boolean).join(' · ');
    return fn.executeWithOptions ? fn.executeWithOptions({ summary }, [input]) : fn(input);
  };
}
