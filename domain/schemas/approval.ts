import { z } from 'zod';
import { MAX_APPROVAL_TIMEOUT_MS } from './config';
import { EpochMsSchema } from './market';
import { SideSchema } from './trade';

/** Human approval of large orders (docs/approval.md; the logic in domain/orchestration/approval.ts). */

/** What the iteration asks the operator: the order and why it needs approval (no clock: the runner stamps the times). */
export const ApprovalRequestSchema = z.object({
  sessionId: z.string(),
  iterationId: z.string(),
  barCloseMs: EpochMsSchema,
  orderId: z.string(),
  side: SideSchema,
  size: z.number().positive(),
  orderType: z.enum(['market', 'limit']),
  /** The limit price, or the bar close for a market order. */
  price: z.number().positive(),
  leverage: z.number(),
  stopLoss: z.number(),
  takeProfit: z.number(),
  notional: z.number().positive(),
  aboveNotional: z.number().positive(),
  timeoutMs: z.number().int().positive().max(MAX_APPROVAL_TIMEOUT_MS),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

/** The pending-approval view (the `pendingApproval` query, `npm run status`): the request, when it was asked and its deadline. */
export const PendingApprovalSchema = ApprovalRequestSchema.extend({
  askedAtMs: EpochMsSchema,
  deadlineMs: EpochMsSchema,
});
export type PendingApproval = z.infer<typeof PendingApprovalSchema>;

/** The decision record: who decided what, when and why. `timed_out`: nobody decided before the deadline. */
export const ApprovalDecisionSchema = z.object({
  outcome: z.enum(['approved', 'rejected', 'timed_out']),
  orderId: z.string(),
  notional: z.number(),
  /** The operator's name (`--by`, default the OS user), `timeout`, or `fast-runner`. */
  by: z.string(),
  reason: z.string(),
  atMs: EpochMsSchema,
});
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;
