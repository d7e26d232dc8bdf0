import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  knowledgeTransferInput,
  loadChanges,
  loadLearning,
  loadPopulations,
  storeState,
} from '../../../activities/learning';
import type { IterationOutcome } from '../../../domain/orchestration/run-iteration';
import { applyIteration, withStoredChanges } from '../../../domain/orchestration/session-loop';
import type { ActivityDeps } from '../../../activities/deps';
import { recordUse } from '../../../domain/population/select-method';
import { FileBlobStore, MemoryBlobStore, RunLocalBlobStore } from '../../../adapters/store/blob-store';
import { ClassifiedError } from '../../../domain/failures';
import { knowledgeTransferSliceOf } from '../../../domain/population/knowledge-transfer';
import { applyPatch, diffJson } from '../../../domain/schemas/json-patch';
import type { LearningState } from '../../../domain/schemas/learning';
import { testDeps } from '../../helpers/temporal';
import { makeLearning, makePopulations } from '../population/fixtures';

const storeLearning = async (deps: ActivityDeps, learning: LearningState) =>
  (await storeState(deps, { populations: makePopulations(), learning })).learning;

const s = (p: number, outcome: 0 | 1, barCloseMs: number) => ({ p, pRaw: p, outcome, barCloseMs });

/** Keys deliberately not sorted: the domain breaks ties by the state's key order. */
function unsortedLearning(): LearningState {
  return makeLearning({
    forecastHistory: { 'researcher-3': [s(0.7, 1, 3)], 'researcher-1': [s(0.4, 0, 1)], 'researcher-2': [] },
    traderR: { 'trader-2': [1], 'trader-1': [-1] },
    regimeCounts: { trend_up: 3, range: 5 },
  });
}

describe('the populations and learning state by reference (O-L)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'learning-ref-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['a file store (the shared --blob-dir), inputs checked', () => new FileBlobStore(dir), false],
    ['the fast runner’s run-local store, inputs trusted', () => new RunLocalBlobStore(), true],
  ] as const)('%s: a round trip gives back the same object, key order included', async (_name, blobs, trust) => {
    const deps = testDeps({ blobs: blobs(), trustInputs: trust });
    const learning = unsortedLearning();
    const ref = await storeLearning(deps, learning);
    const loaded = await loadLearning(deps, ref);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(learning));
    expect(Object.keys(loaded.forecastHistory)).toEqual(['researcher-3', 'researcher-1', 'researcher-2']);
    expect(Object.keys(loaded.regimeCounts)).toEqual(['trend_up', 'range']);
  });

  it('is content-addressed: the same state gives the same ref on any store; any change (even key order) a new one', async () => {
    const a = testDeps({ blobs: new FileBlobStore(dir) });
    const b = testDeps({ blobs: new MemoryBlobStore() });
    const learning = unsortedLearning();
    const ref = await storeLearning(a, learning);
    expect(ref).toMatch(/^state-[0-9a-f]{64}$/);
    expect(await storeLearning(b, JSON.parse(JSON.stringify(learning)) as LearningState)).toBe(ref);
    const reordered = {
      ...learning,
      forecastHistory: { 'researcher-1': [s(0.4, 0, 1)], 'researcher-3': [s(0.7, 1, 3)], 'researcher-2': [] },
    };
    expect(await storeLearning(a, reordered)).not.toBe(ref);
    // A second worker on the shared directory reads what the first stored.
    expect(await loadLearning(testDeps({ blobs: new FileBlobStore(dir) }), ref)).toEqual(learning);
  });

  it('a missing ref is a non-retryable error naming the ref and the shared store', async () => {
    const deps = testDeps({ blobs: new FileBlobStore(dir) });
    const missing = `state-${'0'.repeat(64)}`;
    const err = await loadLearning(deps, missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClassifiedError);
    expect((err as ClassifiedError).retryable).toBe(false);
    expect((err as Error).message).toContain(missing);
    expect((err as Error).message).toContain('--blob-dir');
  });

  it('populations round-trip too, inventories and key order included', async () => {
    const deps = testDeps({ blobs: new FileBlobStore(dir) });
    const populations = makePopulations();
    const refs = await storeState(deps, { populations, learning: unsortedLearning() });
    expect(refs.populations).not.toBe(refs.learning);
    expect(JSON.stringify(await loadPopulations(deps, refs.populations))).toBe(JSON.stringify(populations));
  });

  it("knowledge transfer reads the stored states after E's changes, and the stored populations as its base", async () => {
    const deps = testDeps({ blobs: new MemoryBlobStore() });
    const before = unsortedLearning();
    const after = {
      ...before,
      traderR: { ...before.traderR, 'trader-1': [-1, 2] },
      regimeCounts: { trend_up: 4, range: 5 },
    };
    const populations = makePopulations();
    const used = recordUse(
      populations,
      populations.trader[0]!.id,
      'T-A',
      populations.trader[0]!.inventory['T-A']![0]!.id,
      3,
    );
    const refs = await storeState(deps, { populations, learning: before });
    const changes = await deps.blobs.putState({
      populations: diffJson(populations, used),
      learning: diffJson(before, after),
    });
    const input = await knowledgeTransferInput(deps, {
      populations: refs.populations,
      learning: refs.learning,
      changes,
    });
    expect(input.learning).toEqual(knowledgeTransferSliceOf(applyPatch(before, diffJson(before, after))));
    expect(input.learning.traderR['trader-1']).toEqual([-1, 2]);
    expect(input.populations).toEqual(used);
    expect(input.base).toEqual(populations);
    expect(input.populations).not.toEqual(populations);
  });

  it("the session reads E's changes by ref; a patch of the delta's own wins, and unreadable changes lose only the learning", async () => {
    const deps = testDeps({ blobs: new MemoryBlobStore() });
    const changes = { populations: { replace: 'E' }, learning: { replace: 'L' } };
    const ref = await deps.blobs.putState(changes);
    const outcome = (delta: Record<string, unknown>) => ({ report: {}, delta }) as unknown as IterationOutcome;
    const fromStore = await withStoredChanges(outcome({ changes: ref }), (r) => loadChanges(deps, r), fail);
    expect(fromStore.delta).toEqual(changes);
    const ktWins = await withStoredChanges(
      outcome({ changes: ref, populations: { replace: 'KT' } }),
      (r) => loadChanges(deps, r),
      fail,
    );
    expect(ktWins.delta).toEqual({ populations: { replace: 'KT' }, learning: { replace: 'L' } });
    const lost: unknown[] = [];
    const missing = await withStoredChanges(
      outcome({ changes: 'state-missing' }),
      (r) => loadChanges(deps, r),
      (err) => lost.push(err),
    );
    expect(missing.delta).toEqual({ populations: null, learning: null });
    expect(String(lost[0])).toMatch(/state-missing is not in the blob store/);
    expect(() => applyIteration({} as never, outcome({ changes: ref }))).toThrow(/withStoredChanges/);
  });
});

function fail(err: unknown): never {
  throw err;
}
