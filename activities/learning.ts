import { createHash } from 'node:crypto';
import { ClassifiedError, FailureType } from '../domain/failures';
import { knowledgeTransferSliceOf } from '../domain/population/knowledge-transfer';
import { applyPatch } from '../domain/schemas/json-patch';
import { type LearningState, LearningStateSchema } from '../domain/schemas/learning';
import type { LearningAfter } from '../domain/schemas/steps';
import type { ActivityDeps } from './deps';
import { inputOf } from './validate';

/**
 * O-L (a local activity of the session): the session's learning state into the shared blob store,
 * under the hash of its JSON text. Stored as that text (`putNamed` writes `JSON.stringify`), not as
 * canonical JSON: the domain breaks ties by the order of the state's keys (forecastHistory's agent
 * order), so a load must give back the object the session had, key order included. Content-addressed:
 * a replay or a retry stores the same bytes under the same ref, and every worker on the shared
 * `--blob-dir` reads it.
 */
export async function storeLearning(deps: ActivityDeps, learning: LearningState): Promise<string> {
  const ref = learningRefOf(JSON.stringify(learning));
  await deps.blobs.putNamed(ref, learning);
  return ref;
}

/** The ref of a learning state's JSON text. */
export function learningRefOf(text: string): string {
  return `learning-${createHash('sha256').update(text).digest('hex')}`;
}

/** The learning state stored under `ref`; a missing one is a clear non-retryable error naming the ref and the store. */
export async function loadLearning(deps: ActivityDeps, ref: string): Promise<LearningState> {
  const learning = await deps.blobs.getNamed<LearningState>(ref);
  if (!learning)
    throw new ClassifiedError(
      FailureType.DataUnavailable,
      `learning state ${ref} is not in the blob store: every worker must share one (DESK_BLOB_DIR or --blob-dir, README "Running on several machines")`,
      false,
    );
  // Checked like any input that crossed a process boundary (the fast runner's own object is trusted).
  return inputOf(deps, LearningStateSchema, learning);
}

/** O-L (a local activity of the knowledge-transfer child): what its plan reads, from the stored state after E's changes. */
export async function knowledgeTransferSlice(deps: ActivityDeps, input: LearningAfter): Promise<LearningState> {
  return knowledgeTransferSliceOf(applyPatch(await loadLearning(deps, input.ref), input.patch));
}
