import { ClassifiedError, FailureType } from '../domain/failures';
import { knowledgeTransferSliceOf } from '../domain/population/knowledge-transfer';
import { type Populations, PopulationsSchema } from '../domain/schemas/agents';
import { applyPatch } from '../domain/schemas/json-patch';
import { type LearningState, LearningStateSchema } from '../domain/schemas/learning';
import { type EvaluateChanges, EvaluateChangesSchema, type StoredStates } from '../domain/schemas/steps';
import type { ActivityDeps } from './deps';
import { inputOf } from './validate';

/**
 * O-L (a local activity of the session): the session's populations and learning state into the shared
 * blob store, each under the hash of its JSON text. Stored as that text (`putNamed` writes
 * `JSON.stringify`), not as canonical JSON: the domain breaks ties by the order of the states' keys
 * (forecastHistory's agent order), so a load must give back the object the session had, key order
 * included. Content-addressed: a replay or a retry stores the same bytes under the same ref, and every
 * worker on the shared `--blob-dir` reads it.
 */
export async function storeState(
  deps: ActivityDeps,
  state: { populations: Populations; learning: LearningState },
): Promise<{ populations: string; learning: string }> {
  return { populations: await storeJson(deps, state.populations), learning: await storeJson(deps, state.learning) };
}

function storeJson(deps: ActivityDeps, value: unknown): Promise<string> {
  return deps.blobs.putState(value);
}

/**
 * The newest states each store gave back, parsed, by ref. A ref names its content (a hash), so its
 * value never changes: R-A and R-C of every researcher and E read one bar's state from here, parsed
 * once. The domain never mutates what it reads, so sharing the object is safe.
 */
const recentlyLoaded = new WeakMap<ActivityDeps['blobs'], Map<string, unknown>>();
const KEEP_LOADED = 4;

/** A stored state; a missing one is a clear non-retryable error naming the ref and the store. */
async function loadStored<T>(
  deps: ActivityDeps,
  ref: string,
  schema: { parse(raw: unknown): T },
  what: string,
): Promise<T> {
  const recent = recentlyLoaded.get(deps.blobs) ?? new Map<string, unknown>();
  recentlyLoaded.set(deps.blobs, recent);
  if (recent.has(ref)) return recent.get(ref) as T;
  const loaded = await loadChecked(deps, ref, schema, what);
  recent.set(ref, loaded);
  if (recent.size > KEEP_LOADED) recent.delete(recent.keys().next().value as string);
  return loaded;
}

async function loadChecked<T>(
  deps: ActivityDeps,
  ref: string,
  schema: { parse(raw: unknown): T },
  what: string,
): Promise<T> {
  const value = await deps.blobs.getNamed<T>(ref);
  if (!value)
    throw new ClassifiedError(
      FailureType.DataUnavailable,
      `${what} ${ref} is not in the blob store: every worker must share one (DESK_BLOB_DIR or --blob-dir, README "Running on several machines")`,
      false,
    );
  // Checked like any input that crossed a process boundary (the fast runner's own object is trusted).
  return inputOf(deps, schema, value);
}

/** The learning state stored under `ref` (R-A, R-C, E). */
export function loadLearning(deps: ActivityDeps, ref: string): Promise<LearningState> {
  return loadStored(deps, ref, LearningStateSchema, 'learning state');
}

/** O-L (a local activity of the session, after the bar): E's changes stored under `ref`. */
export function loadChanges(deps: ActivityDeps, ref: string): Promise<EvaluateChanges> {
  return loadStored(deps, ref, EvaluateChangesSchema, "the Evaluator's changes");
}

/** The populations stored under `ref` (E, knowledge transfer). */
export function loadPopulations(deps: ActivityDeps, ref: string): Promise<Populations> {
  return loadStored(deps, ref, PopulationsSchema, 'populations');
}

/**
 * O-L (a local activity of the knowledge-transfer child): what its plan reads, after E's changes: the
 * populations, the learning state's slice (knowledgeTransferSliceOf), and the stored populations its
 * changes are stated against.
 */
export async function knowledgeTransferInput(
  deps: ActivityDeps,
  stored: StoredStates,
): Promise<{ populations: Populations; learning: LearningState; base: Populations }> {
  const base = await loadPopulations(deps, stored.populations);
  const changes = await loadChanges(deps, stored.changes);
  const learning = applyPatch(await loadLearning(deps, stored.learning), changes.learning);
  return {
    populations: applyPatch(base, changes.populations),
    learning: knowledgeTransferSliceOf(learning),
    base,
  };
}
