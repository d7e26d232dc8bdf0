import { LlmConfigSchema } from '../../../adapters/llm/config';
import { createLlm } from '../../../adapters/llm/create-llm';
import { Semaphore } from '../../../adapters/llm/semaphore';
import { FileBlobStore, MemoryBlobStore } from '../../../adapters/store/blob-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import { startFakeOpenAiServer } from '../../fakes/fake-openai-server';
import { HEURISTIC_FORECAST, makeTask, now, TEST_KEY, validReply } from './llm-test-kit';

describe('heuristic provider', () => {
  test('returns the task heuristic with zero usage and never touches the network', async () => {
    const fetchSpy = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>();
    const llm = createLlm(LlmConfigSchema.parse({}), { blobs: new MemoryBlobStore(), fetch: fetchSpy, now });
    const result = await llm.reason(makeTask());
    expect(llm.provider).toBe('heuristic');
    expect(result).toEqual({
      value: HEURISTIC_FORECAST,
      provenance: { source: 'heuristic', hash: null, model: null, warning: null, usage: ZERO_USAGE },
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('Semaphore', () => {
  test('never runs more than `limit` tasks at once and runs them all', async () => {
    const semaphore = new Semaphore(2);
    let active = 0;
    let peak = 0;
    let finished = 0;
    const gates: (() => void)[] = [];
    const runs = Array.from({ length: 5 }, (_, i) =>
      semaphore.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
        finished++;
        return i;
      }),
    );
    // Open gates one at a time until every task has finished; each release admits one waiter.
    for (let turn = 0; finished < 5 && turn < 100; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  test('a failing task releases its slot', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('openai provider limits', () => {
  test('concurrency 1 keeps at most one HTTP request in flight', async () => {
    const server = await startFakeOpenAiServer([1, 2, 3].map((i) => ({ content: validReply(i / 10) })));
    let inFlight = 0;
    let peak = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    try {
      const config = LlmConfigSchema.parse({
        provider: 'openai',
        apiKey: TEST_KEY,
        baseUrl: `${server.url}/v1`,
        concurrency: 1,
      });
      const llm = createLlm(config, { blobs: new MemoryBlobStore(), fetch: countingFetch, now });
      const results = await Promise.all(['a', 'b', 'c'].map((u) => llm.reason(makeTask({ user: `bar ${u}` }))));
      expect(results.map((r) => r.provenance.source)).toEqual(['llm', 'llm', 'llm']);
      expect(peak).toBe(1);
      expect(server.errors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('the cache survives a restart on disk: a rerun with a new FileBlobStore makes zero requests', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'llm-cache-'));
    const server = await startFakeOpenAiServer([{ content: validReply(0.66) }]);
    try {
      const config = LlmConfigSchema.parse({ provider: 'openai', apiKey: TEST_KEY, baseUrl: `${server.url}/v1` });
      const first = await createLlm(config, { blobs: new FileBlobStore(dir), now }).reason(makeTask());
      const rerun = await createLlm(config, { blobs: new FileBlobStore(dir), now }).reason(makeTask());
      expect(rerun.value).toEqual(first.value);
      expect(rerun.provenance.source).toBe('cache');
      expect(rerun.provenance.hash).toBe(first.provenance.hash);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
