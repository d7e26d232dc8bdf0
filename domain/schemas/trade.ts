import { z } from 'zod';
import { EpochMsSchema } from './market';
import { ProvenanceSchema } from './llm';

export const SideSchema = z.enum(['long', 'short']);
export type Side = z.infer<typeof SideSchema>;

/** T-A output: how this trader wants to trade the research right now. */
export const ExecutionStyleSchema = z.object({
  agentId: z.string(),
  method: z.string(),
  orderType: z.enum(['market', 'limit']),
  /** Limit orders rest this many ATRs away from the close (0 for market). */
  limitOffsetAtr: z.number().min(0).max(3),
  takeProfitAtr: z.number().positive().max(20),
  stopLossAtr: z.number().positive().max(10),
  leverageMin: z.number().min(1).max(125),
  leverageMax: z.number().min(1).max(125),
  horizonBars: z.number().int().min(1).max(180),
  standAside: z.boolean(),
  rationale: z.string().max(600),
  provenance: ProvenanceSchema,
});
export type ExecutionStyle = z.infer<typeof ExecutionStyleSchema>;

export const OrderStatusSchema = z.enum([
  'created',
  'submitted',
  'open',
  'partially_filled',
  'filled',
  'closed_tp',
  'closed_sl',
  'closed_liquidation',
  'closed_manual',
  'closed_emergency',
  'closed_signal',
  'rejected',
  'cancelled',
  'expired',
]);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

/** T-B output: the order JSON of docs/architecture.md. */
export const OrderSchema = z.object({
  /** Client order id, derived from the iteration id, trader and attempt: idempotent placement. */
  orderId: z.string().min(1).max(36),
  traderId: z.string(),
  symbol: z.string(),
  createdAtMs: EpochMsSchema,
  currentPrice: z.number().positive(),
  orderType: z.enum(['market', 'limit']),
  /** Limit price; null for market orders. */
  limitPrice: z.number().positive().nullable(),
  /** Size in BTC. */
  size: z.number().positive(),
  direction: SideSchema,
  takeProfit: z.number().positive(),
  stopLoss: z.number().positive(),
  /** Exit price; null while the order/position is open. */
  closedPrice: z.number().positive().nullable(),
  leverage: z.number().min(1).max(125),
  liquidationPrice: z.number().nonnegative(),
  /** Bars after which an unfilled limit order expires. */
  expiresAfterBars: z.number().int().min(1),
  horizonBars: z.number().int().min(1),
  status: OrderStatusSchema,
  /** Calibrated confidence behind the order. */
  confidence: z.number().min(0).max(1),
});
export type Order = z.infer<typeof OrderSchema>;

/** T-B result: an order, or a reasoned decision not to trade. */
export const TradeProposalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('order'), order: OrderSchema, rationale: z.string(), provenance: ProvenanceSchema }),
  z.object({ kind: z.literal('stand_aside'), traderId: z.string(), reason: z.string() }),
]);
export type TradeProposal = z.infer<typeof TradeProposalSchema>;
