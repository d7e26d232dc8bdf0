import { z } from 'zod';
import { AccountEventSchema, AccountSchema } from './account';
import { ExchangeCostsSchema, ModeSchema } from './config';
import { LlmUsageSchema } from './llm';
import { IterationReportSchema } from './session';
import { StepContextSchema } from './steps';

/** X-F: the kill switch's flatten: cancel every open order, close the position reduce-only at market. */
export const FlattenInputSchema = z.object({
  ctx: StepContextSchema,
  mode: ModeSchema,
  account: AccountSchema,
  costs: ExchangeCostsSchema,
  reason: z.string(),
  atMs: z.number().int().nonnegative(),
});
export type FlattenInput = z.infer<typeof FlattenInputSchema>;
export const FlattenResultSchema = z.object({ account: AccountSchema, events: z.array(AccountEventSchema) });
export type FlattenResult = z.infer<typeof FlattenResultSchema>;

export const SchedulePauseInputSchema = z.object({ scheduleId: z.string(), paused: z.boolean(), note: z.string() });
export type SchedulePauseInput = z.infer<typeof SchedulePauseInputSchema>;

export const WriteLessonsInputSchema = z.object({
  ctx: StepContextSchema,
  requests: z.array(z.object({ teacherId: z.string(), studentId: z.string(), role: z.string(), summary: z.string() })),
});
export type WriteLessonsInput = z.infer<typeof WriteLessonsInputSchema>;
export const WriteLessonsResultSchema = z.object({
  lessons: z.array(z.object({ agentId: z.string(), lesson: z.string() })),
  usage: LlmUsageSchema,
});
export type WriteLessonsResult = z.infer<typeof WriteLessonsResultSchema>;

/** O-R: append an iteration's report to the run's durable log (idempotent by iteration id). */
export const RecordIterationInputSchema = z.object({ sessionId: z.string(), report: IterationReportSchema });
export type RecordIterationInput = z.infer<typeof RecordIterationInputSchema>;
