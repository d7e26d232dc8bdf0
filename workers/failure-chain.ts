/**
 * A Temporal failure (as in history: ChildWorkflowFailure → ActivityFailure → ApplicationFailure …)
 * reduced to what an operator needs on one line: the step that failed, the error type and message.
 */
export interface FailureNode {
  message?: string | null;
  cause?: FailureNode | null;
  activityFailureInfo?: { activityType?: { name?: string | null } | null } | null;
  childWorkflowExecutionFailureInfo?: { workflowType?: { name?: string | null } | null } | null;
  applicationFailureInfo?: { type?: string | null } | null;
  timeoutFailureInfo?: { timeoutType?: unknown } | null;
  canceledFailureInfo?: unknown;
  terminatedFailureInfo?: unknown;
}

export interface FailureSummary {
  /** The innermost activity type (e.g. `A-B.buildFeatures`), else the innermost child workflow type. */
  step: string | null;
  /** The application failure type (`Data.Unavailable`), `Timeout.<kind>`, `Cancelled` or `Terminated`. */
  type: string;
  message: string;
}

const TIMEOUT_NAMES: Record<number, string> = {
  1: 'StartToClose',
  2: 'ScheduleToStart',
  3: 'ScheduleToClose',
  4: 'Heartbeat',
};

/** Walks the cause chain: the step is the innermost activity (else child), the error the innermost cause. */
export function summarizeFailure(failure: FailureNode | null | undefined): FailureSummary {
  let step: string | null = null;
  let child: string | null = null;
  let type = 'Unknown';
  let message = '';
  for (let f = failure; f; f = f.cause) {
    const activity = f.activityFailureInfo?.activityType?.name;
    if (activity) step = activity;
    const workflow = f.childWorkflowExecutionFailureInfo?.workflowType?.name;
    if (workflow) child = workflow;
    if (f.applicationFailureInfo) type = f.applicationFailureInfo.type || 'Error';
    else if (f.timeoutFailureInfo)
      type = `Timeout.${TIMEOUT_NAMES[Number(f.timeoutFailureInfo.timeoutType)] ?? 'Unknown'}`;
    else if (f.canceledFailureInfo) type = 'Cancelled';
    else if (f.terminatedFailureInfo) type = 'Terminated';
    if (f.message) message = f.message;
  }
  return { step: step ?? child, type, message };
}
