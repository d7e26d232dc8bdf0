import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChangeResult } from '../domain/orchestration/live-changes';
import type { SessionStatus } from '../domain/orchestration/status';
import type { LlmChoice, RiskLimits } from '../domain/schemas/config';
import type { SessionState } from '../domain/schemas/session';

/** Kill switch: persist the halt, cancel the iteration in flight, flatten the book, pause the schedule. */
export const emergencyStopSignal = defineSignal<[reason: string]>('emergencyStop');
/** Lift a halt or pause; the schedule resumes. */
export const resumeSignal = defineSignal<[]>('resume');
/** Stop taking bars (no flatten); the schedule pauses. */
export const pauseSignal = defineSignal<[]>('pause');
/** The schedule's tick: a 4h bar closed (or, on the replay feed, the next replay bar is due). */
export const barClosedSignal = defineSignal<[tick: { firedAtMs: number }]>('barClosed');
export const statusQuery = defineQuery<SessionStatus>('status');
/** The fund's whole state (works on a closed session too): how `npm start` continues a fund. */
export const stateQuery = defineQuery<SessionState>('state');

// Updates (docs/live-changes.md): each has a validator, so a refused call never enters the history.
/** Change risk limits (within the schema's ranges and HARD_CAPS) from the next bar; says what changed and from which bar. */
export const setRiskLimitsUpdate = defineUpdate<ChangeResult, [patch: Partial<RiskLimits>]>('setRiskLimits');
/** Switch the LLM provider and model (no keys) from the next bar; null = the LLM worker's env default. */
export const setLlmUpdate = defineUpdate<
  ChangeResult,
  [choice: { provider: LlmChoice['provider']; model?: string | null } | null]
>('setLlm');
/** The pause signal as an Update: returns the resulting status. */
export const pauseUpdate = defineUpdate<SessionStatus, []>('pause');
/** The resume signal as an Update: returns the resulting status. */
export const resumeUpdate = defineUpdate<SessionStatus, []>('resume');
/** The kill switch as an Update: returns the status once the book is flat and the schedule paused. */
export const emergencyStopUpdate = defineUpdate<SessionStatus, [reason: string]>('emergencyStop');
