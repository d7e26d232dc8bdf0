import { z } from 'zod';
import { ClassifiedError } from '../domain/failures';
import { evaluateRound } from '../domain/population/evaluate';
import { diffJson } from '../domain/schemas/json-patch';
import { addUsage, ZERO_USAGE } from '../domain/schemas/llm';
import {
  type RecordIterationInput,
  RecordIterationInputSchema,
  type SchedulePauseInput,
  SchedulePauseInputSchema,
  type WriteLessonsInput,
  WriteLessonsInputSchema,
  type WriteLessonsResult,
} from '../domain/schemas/ops';
import {
  type EvaluateInput,
  type EvaluateRequest,
  EvaluateRequestSchema,
  EvaluateResultSchema,
  EvaluateChangesSchema,
  type Evaluated,
} from '../domain/schemas/steps';
import { llmOf, type ActivityDeps } from './deps';
import { loadLearning, loadPopulations } from './learning';
import { recordUse } from '../domain/population/select-method';
import { inputOf } from './validate';

/** E: the Evaluator's fixed metrics after the round. */
export async function evaluate(deps: ActivityDeps, raw: EvaluateRequest): Promise<Evaluated> {
  const { learningRef, populationsRef, uses, ...request } = inputOf(deps, EvaluateRequestSchema, raw);
  const stored = await loadPopulations(deps, populationsRef);
  // The iteration's method uses of this bar, in its order, then the round on the stored states.
  const populations = uses.reduce((p, u) => recordUse(p, u.agentId, u.step, u.methodId, request.ctx.round), stored);
  const input: EvaluateInput = { ...request, populations, learning: await loadLearning(deps, learningRef) };
  // Checked whole, returned as changes: the history records what the round changed, not both states.
  // Diffed unparsed: the round shares every unchanged subtree with its input, which the diff skips by reference.
  const next = evaluateRound(input);
  EvaluateResultSchema.parse(next);
  const changes = EvaluateChangesSchema.parse({
    // Against the stored populations: the uses are part of the change.
    populations: diffJson(stored, next.populations),
    learning: diffJson(input.learning, next.learning),
  });
  // Stored like the states (content-addressed where refs cross processes): a retry stores the same bytes.
  return { changes: await deps.blobs.putState(changes) };
}

const LessonSchema = z.object({ lesson: z.string().min(1).max(400) });
const MAX_LESSON_CHARS = 400;

/** K-T: the teacher's lessons for each student, written by the shared LLM from the teacher's record (bounded). */
export async function writeLessons(deps: ActivityDeps, raw: WriteLessonsInput): Promise<WriteLessonsResult> {
  const input = inputOf(deps, WriteLessonsInputSchema, raw);
  let usage = ZERO_USAGE;
  const lessons = [];
  for (const r of input.requests) {
    const heuristic = { lesson: `From ${r.teacherId}: ${r.summary}`.slice(0, MAX_LESSON_CHARS) };
    const reasoned = await llmOf(deps, input.ctx)
      .reason({
        step: 'K-T',
        sessionId: input.ctx.sessionId,
        iterationId: input.ctx.iterationId,
        agentId: r.studentId,
        schema: LessonSchema,
        schemaHint: '{"lesson": string, at most 400 characters: one concrete, testable habit}',
        system: `You are ${r.teacherId}, the best-scoring ${r.role} of a BTC perpetual trading desk, teaching a peer.`,
        user: `Your decision record and methods:\n${r.summary}\n\nWrite one short lesson for ${r.studentId}.`,
        heuristic: () => heuristic,
      })
      .catch((err: unknown) => {
        // The lessons written before this failure were billed too: the failure carries their usage.
        throw err instanceof ClassifiedError && usage.calls > 0
          ? new ClassifiedError(
              err.type,
              err.message,
              err.retryable,
              err.retryAfterMs,
              addUsage(usage, err.usage ?? ZERO_USAGE),
            )
          : err;
      });
    usage = addUsage(usage, reasoned.provenance.usage);
    lessons.push({ agentId: r.studentId, lesson: reasoned.value.lesson });
  }
  return { lessons, usage };
}

/** O-S: pause or unpause the session's Schedule (kill switch, pause, resume). */
export async function setSchedulePaused(deps: ActivityDeps, raw: SchedulePauseInput): Promise<void> {
  const input = inputOf(deps, SchedulePauseInputSchema, raw);
  await deps.setSchedulePaused?.(input.scheduleId, input.paused, input.note);
}

/** O-R: the iteration's report into the run log the reports and status read. */
export async function recordIteration(deps: ActivityDeps, raw: RecordIterationInput): Promise<void> {
  const input = inputOf(deps, RecordIterationInputSchema, raw);
  await deps.runLog.append(input.sessionId, input.report);
}
