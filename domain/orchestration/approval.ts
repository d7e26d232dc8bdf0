import type { ApprovalDecision, ApprovalRequest, PendingApproval } from '../schemas/approval';
import type { ApprovalSettings } from '../schemas/config';
import { formatIsoUtc } from '../metrics/civil-time';
import type { Order } from '../schemas/trade';

export type { ApprovalDecision, ApprovalRequest, PendingApproval } from '../schemas/approval';

/**
 * Human approval of large orders (docs/approval.md). Pure: the iteration asks (`approvalRequestOf`),
 * the runner waits for the operator (the iteration workflow's `approveOrder`/`rejectOrder` Updates, or
 * the fast runner's refusal) and answers with an `ApprovalDecision`; the iteration trades only an
 * approved order.
 */

/** Approval off and 15 minutes to decide: what a config recorded before approval existed means. */
export const NO_APPROVAL: ApprovalSettings = { aboveNotional: null, timeoutMs: 15 * 60_000 };

/** The session's approval settings; configs recorded before they existed (replayed histories) have none. */
export function approvalSettingsOf(config: { approval?: ApprovalSettings | undefined }): ApprovalSettings {
  return config.approval ?? NO_APPROVAL;
}

/** What an order commits in the quote currency: size × its limit price, or × `price` (the bar close) at market. */
export function orderNotional(order: Pick<Order, 'size' | 'limitPrice'>, price: number): number {
  return order.size * (order.limitPrice ?? price);
}

/** An order waits for the operator when approval is on and its notional exceeds the threshold (equal passes). */
export function needsApproval(
  order: Pick<Order, 'size' | 'limitPrice'> | null,
  price: number,
  aboveNotional: number | null | undefined,
): order is Order {
  if (order === null || aboveNotional === null || aboveNotional === undefined) return false;
  return orderNotional(order, price) > aboveNotional;
}

/** The `approveOrder` Update's argument: the order id the operator saw (a guard against approving another order). */
export interface ApproveOrderInput {
  orderId: string;
  by?: string;
}

/** The `rejectOrder` Update's argument. */
export interface RejectOrderInput {
  orderId: string;
  reason?: string;
  by?: string;
}

/** The request for an order that needs approval (call after `needsApproval`). */
export function approvalRequestOf(
  order: Order,
  price: number,
  settings: ApprovalSettings,
  ctx: { sessionId: string; iterationId: string; barCloseMs: number },
): ApprovalRequest {
  if (settings.aboveNotional === null) throw new Error('approvalRequestOf: approval is off (aboveNotional is null)');
  return {
    sessionId: ctx.sessionId,
    iterationId: ctx.iterationId,
    barCloseMs: ctx.barCloseMs,
    orderId: order.orderId,
    side: order.direction,
    size: order.size,
    orderType: order.orderType,
    price: order.limitPrice ?? price,
    leverage: order.leverage,
    stopLoss: order.stopLoss,
    takeProfit: order.takeProfit,
    notional: orderNotional(order, price),
    aboveNotional: settings.aboveNotional,
    timeoutMs: settings.timeoutMs,
  };
}

export function pendingApprovalOf(request: ApprovalRequest, askedAtMs: number): PendingApproval {
  return { ...request, askedAtMs, deadlineMs: askedAtMs + request.timeoutMs };
}

/**
 * The Updates' validator: an approval or rejection must name the order that waits. Throws (the
 * Update is rejected and nothing enters history) when no order waits, it was already decided, or the
 * id differs.
 */
export function checkApprovalInput(
  pending: PendingApproval | null,
  decided: ApprovalDecision | null,
  input: { orderId?: unknown; reason?: unknown; by?: unknown } | null | undefined,
): void {
  if (pending === null) throw new Error('no order is waiting for approval in this iteration');
  if (decided !== null)
    throw new Error(
      `order ${pending.orderId} was already decided: ${decided.outcome}${decided.by ? ` by ${decided.by}` : ''}`,
    );
  const orderId = input?.orderId;
  if (typeof orderId !== 'string' || orderId === '')
    throw new Error(`orderId is required: the order waiting is ${pending.orderId}`);
  if (orderId !== pending.orderId)
    throw new Error(`order ${orderId} is not the order waiting for approval (${pending.orderId})`);
  if (input?.reason !== undefined && typeof input.reason !== 'string') throw new Error('reason must be a string');
  if (input?.by !== undefined && typeof input.by !== 'string') throw new Error('by must be a string');
}

/** The operator's decision on the pending order. */
export function operatorDecision(
  pending: PendingApproval,
  outcome: 'approved' | 'rejected',
  input: { by?: string | undefined; reason?: string | undefined },
  atMs: number,
): ApprovalDecision {
  const reason = input.reason?.trim() || (outcome === 'approved' ? 'approved by operator' : 'rejected by operator');
  return {
    outcome,
    orderId: pending.orderId,
    notional: pending.notional,
    by: input.by?.trim() || 'operator',
    reason,
    atMs,
  };
}

export function timedOutDecision(pending: PendingApproval, atMs: number): ApprovalDecision {
  return {
    outcome: 'timed_out',
    orderId: pending.orderId,
    notional: pending.notional,
    by: 'timeout',
    reason: `no decision within ${formatDuration(pending.timeoutMs)}`,
    atMs,
  };
}

/** The fast runner has no operator: an order that needs approval is refused, and the report says why. */
export function noOperatorDecision(request: ApprovalRequest): ApprovalDecision {
  return {
    outcome: 'rejected',
    orderId: request.orderId,
    notional: request.notional,
    by: 'fast-runner',
    reason: 'the fast runner has no operator to approve orders (approval.aboveNotional is set): not traded',
    atMs: request.barCloseMs,
  };
}

/** The iteration's decision when the operator did not approve; null when approved (the order trades). */
export function noTradeDecisionOf(decision: ApprovalDecision): 'rejected_by_operator' | 'approval_timed_out' | null {
  if (decision.outcome === 'approved') return null;
  return decision.outcome === 'rejected' ? 'rejected_by_operator' : 'approval_timed_out';
}

/** The report's reason for an order the operator did not approve: the order, its notional and the decision. */
export function noTradeReasonOf(request: ApprovalRequest, decision: ApprovalDecision): string {
  const order = `${request.side} ${request.size} @ ${request.price} (notional ${request.notional.toFixed(2)} > ${request.aboveNotional})`;
  return decision.outcome === 'timed_out'
    ? `approval timed out, no trade: ${order}: ${decision.reason}`
    : `rejected by ${decision.by}, no trade: ${order}: ${decision.reason}`;
}

/** What the Temporal UI shows while an order waits (the iteration's current details, Markdown). */
export function waitingDetailsOf(p: PendingApproval): string {
  return [
    `**Order waiting for approval** until ${formatIsoUtc(p.deadlineMs)}`,
    `${p.side} ${p.size} ${p.orderType} @ ${p.price}, leverage ${p.leverage}, notional ${p.notional.toFixed(2)} > ${p.aboveNotional}; order id \`${p.orderId}\``,
    `Approve: \`npm run approve -- ${p.iterationId}\` or the Update \`approveOrder\` with \`{"orderId": "${p.orderId}"}\`; reject: \`--reject "reason"\` or \`rejectOrder\`.`,
  ].join('\n\n');
}

/** `DeskApproval` search attribute value of a decision. */
export function approvalAttributeOf(decision: ApprovalDecision | null): 'pending' | ApprovalDecision['outcome'] {
  return decision === null ? 'pending' : decision.outcome;
}

/** "15m", "2s", "1h30m". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', sec || s === 0 ? `${sec}s` : ''].filter(Boolean);
  return parts.join('');
}

/** "15m", "90s", "1h", "1h30m", or plain milliseconds: the CLI's `--approval-timeout`. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
  if (!m || t === '' || (!m[1] && !m[2] && !m[3]))
    throw new Error(`'${text}' is not a duration: use e.g. 15m, 90s, 1h30m or milliseconds`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}
