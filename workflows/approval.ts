import {
  condition,
  defineQuery,
  defineUpdate,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  approvalAttributeOf,
  type ApproveOrderInput,
  checkApprovalInput,
  formatDuration,
  operatorDecision,
  pendingApprovalOf,
  type RejectOrderInput,
  timedOutDecision,
  waitingDetailsOf,
} from '../domain/orchestration/approval';
import type { ApprovalDecision, ApprovalRequest, PendingApproval } from '../domain/schemas/approval';
import { isCancellation } from './is-cancellation';
import { SA } from './search-attributes';

/**
 * Human approval of large orders on the ITERATION workflow (docs/approval.md). The operator (`npm run
 * approve`, or the Temporal UI's Update form) answers the order that waits; the Update returns the
 * decision. Validators refuse an Update when no order waits, it was already decided, or the order id
 * differs: a refused Update leaves nothing in history.
 */
export const approveOrderUpdate = defineUpdate<ApprovalDecision, [ApproveOrderInput]>('approveOrder');
export const rejectOrderUpdate = defineUpdate<ApprovalDecision, [RejectOrderInput]>('rejectOrder');
/** The order waiting for approval, or null (none asked, or already decided). */
export const pendingApprovalQuery = defineQuery<PendingApproval | null>('pendingApproval');

/**
 * Registers the Updates and the query (call at the workflow's start, so an early Update is refused
 * by the validator rather than lost) and returns the `awaitApproval` step: mark the iteration
 * `DeskApproval=pending`, wait for a decision or the timeout, mark the outcome.
 */
export function approvalGate(): (request: ApprovalRequest) => Promise<ApprovalDecision> {
  let pending: PendingApproval | null = null;
  let decided: ApprovalDecision | null = null;
  const decide = (outcome: 'approved' | 'rejected', input: ApproveOrderInput | RejectOrderInput) => {
    decided = operatorDecision(pending!, outcome, input, Date.now());
    return decided;
  };
  setHandler(pendingApprovalQuery, () => (decided === null ? pending : null), {
    description: 'The order waiting for approval (null when none waits)',
  });
  setHandler(approveOrderUpdate, (input) => decide('approved', input), {
    validator: (input) => checkApprovalInput(pending, decided, input),
    description: 'Approve the waiting order: {"orderId": "<the pendingApproval orderId>", "by": "name"}',
  });
  setHandler(rejectOrderUpdate, (input) => decide('rejected', input), {
    validator: (input) => checkApprovalInput(pending, decided, input),
    description: 'Reject the waiting order (no trade): {"orderId": "…", "reason": "why", "by": "name"}',
  });

  return async (request) => {
    const asked = pendingApprovalOf(request, Date.now());
    pending = asked;
    upsertSearchAttributes([{ key: SA.approval, value: approvalAttributeOf(null) }]);
    // The UI's "Current Details" panel: what waits, until when, and how to answer it.
    setCurrentDetails(waitingDetailsOf(asked));
    log.info('order waits for approval', {
      orderId: asked.orderId,
      side: asked.side,
      size: asked.size,
      notional: asked.notional,
      aboveNotional: asked.aboveNotional,
      deadline: new Date(asked.deadlineMs).toISOString(),
    });
    try {
      await condition(() => decided !== null, asked.timeoutMs);
    } catch (err) {
      // Cancelled while waiting (the kill switch): no order, and the UI's filter no longer lists it as pending.
      if (isCancellation(err)) {
        upsertSearchAttributes([{ key: SA.approval, value: 'cancelled' }]);
        setCurrentDetails(`**Order ${asked.orderId}: cancelled** while waiting for approval`);
      }
      throw err;
    }
    // The timeout decides only if no operator did first: an Update after it is refused by the validator.
    decided ??= timedOutDecision(asked, Date.now());
    const decision: ApprovalDecision = decided;
    upsertSearchAttributes([{ key: SA.approval, value: approvalAttributeOf(decision) }]);
    setCurrentDetails(`**Order ${asked.orderId}: ${decision.outcome}** by ${decision.by}: ${decision.reason}`);
    if (decision.outcome === 'timed_out')
      log.warn(`no decision on order ${asked.orderId} within ${formatDuration(asked.timeoutMs)}: no trade`, {
        notional: asked.notional,
      });
    else log.info(`order ${asked.orderId} ${decision.outcome} by ${decision.by}`, { reason: decision.reason });
    return decision;
  };
}
