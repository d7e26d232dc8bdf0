import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SessionStatus } from '../domain/orchestration/status';
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
