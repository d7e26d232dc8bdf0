import { z } from 'zod';
import { EpochMsSchema } from './market';
import { OrderSchema, SideSchema } from './trade';

/** An open isolated-margin position (one-way mode: at most one per account). */
export const PositionSchema = z.object({
  orderId: z.string(),
  traderId: z.string(),
  side: SideSchema,
  size: z.number().positive(),
  entryPrice: z.number().positive(),
  leverage: z.number().min(1),
  /** Isolated margin posted (the WB of Binance's liquidation formula). */
  margin: z.number().nonnegative(),
  liquidationPrice: z.number().nonnegative(),
  takeProfit: z.number().positive(),
  stopLoss: z.number().positive(),
  openedAtMs: EpochMsSchema,
  /** Close the position at market after this time (the style's horizon); null = no time exit. */
  exitByMs: EpochMsSchema.nullable(),
  /** Fees paid on this position so far (entry), positive = paid. */
  fees: z.number().nonnegative(),
  /** Funding on this position so far, positive = received. */
  funding: z.number(),
});
export type Position = z.infer<typeof PositionSchema>;

export const ExitReasonSchema = z.enum([
  'take_profit',
  'stop_loss',
  'liquidation',
  'time',
  'signal',
  'manual',
  'emergency_stop',
  'end_of_backtest',
]);
export type ExitReason = z.infer<typeof ExitReasonSchema>;

/** A closed round trip; the columns of trades.csv. */
export const ClosedTradeSchema = z.object({
  tradeId: z.string(),
  clientOrderId: z.string(),
  traderId: z.string(),
  side: SideSchema,
  entryTimeMs: EpochMsSchema,
  entryPrice: z.number().positive(),
  exitTimeMs: EpochMsSchema,
  exitPrice: z.number().positive(),
  size: z.number().positive(),
  leverage: z.number(),
  liquidationPrice: z.number(),
  exitReason: ExitReasonSchema,
  /** Price PnL before fees and funding. */
  realizedPnl: z.number(),
  /** Positive = paid. */
  fees: z.number().nonnegative(),
  /** Positive = received. */
  funding: z.number(),
  /** Initial risk (|entry − stop| × size), for R multiples. */
  riskAmount: z.number().nonnegative(),
});
export type ClosedTrade = z.infer<typeof ClosedTradeSchema>;

/** A paper (or mirrored live) USDT-margined account. */
export const AccountSchema = z.object({
  /** Wallet balance in USDT: deposits + realised PnL − fees + funding. Includes posted margin. */
  wallet: z.number(),
  position: PositionSchema.nullable(),
  openOrders: z.array(OrderSchema),
  realizedPnl: z.number(),
  fees: z.number(),
  funding: z.number(),
  liquidations: z.number().int().nonnegative(),
  /** Last funding settlement applied: funding is charged once per settlement even across restarts. */
  lastFundingMs: EpochMsSchema,
  /** Open time of the last bar the account was marked against. */
  lastBarOpenMs: EpochMsSchema,
  /** Last mark price. */
  markPrice: z.number().nonnegative(),
  tradeCount: z.number().int().nonnegative(),
});
export type Account = z.infer<typeof AccountSchema>;

/** What happened to an account while a bar or an order was applied. */
export const AccountEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('fill'),
    orderId: z.string(),
    price: z.number(),
    size: z.number(),
    fee: z.number(),
    atMs: EpochMsSchema,
  }),
  z.object({ type: z.literal('close'), trade: ClosedTradeSchema }),
  z.object({ type: z.literal('funding'), atMs: EpochMsSchema, rate: z.number(), amount: z.number() }),
  z.object({ type: z.literal('expire'), orderId: z.string(), atMs: EpochMsSchema }),
  z.object({ type: z.literal('cancel'), orderId: z.string(), atMs: EpochMsSchema, reason: z.string() }),
  z.object({ type: z.literal('reject'), orderId: z.string(), atMs: EpochMsSchema, reason: z.string() }),
]);
export type AccountEvent = z.infer<typeof AccountEventSchema>;
