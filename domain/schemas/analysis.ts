import { z } from 'zod';
import { EpochMsSchema } from './market';

/** A-B output: one analyst's feature table at a bar close. Missing values (warm-up) are null. */
export const FeatureTableSchema = z.object({
  agentId: z.string(),
  barCloseMs: EpochMsSchema,
  method: z.string(),
  values: z.record(z.string(), z.number().finite().nullable()),
});
export type FeatureTable = z.infer<typeof FeatureTableSchema>;

export const DirectionSchema = z.enum(['up', 'down', 'flat']);
export type Direction = z.infer<typeof DirectionSchema>;

export const RegimeSchema = z.enum(['trend_up', 'trend_down', 'range', 'high_vol', 'breakout_up', 'breakout_down']);
export type Regime = z.infer<typeof RegimeSchema>;

/** A-C output: one analyst's trend call with the evidence that produced it. */
export const TrendCallSchema = z.object({
  agentId: z.string(),
  barCloseMs: EpochMsSchema,
  method: z.string(),
  direction: DirectionSchema,
  strength: z.number().min(0).max(1),
  regime: RegimeSchema,
  evidence: z.record(z.string(), z.number().finite().nullable()),
});
export type TrendCall = z.infer<typeof TrendCallSchema>;
