import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { LlmConfigError, LlmConfigSchema, loadLlmConfig, readLlmConcurrency } from '../../../adapters/llm/config';
import { MemoryCostLedger } from '../../../adapters/llm/cost-ledger';
import { createLlm } from '../../../adapters/llm/create-llm';
import { chooseThreads, createLocalTransport } from '../../../adapters/llm/local-transport';
import type { ReasoningTask } from '../../../adapters/llm/types';
import { MemoryBlobStore } from '../../../adapters/store/blob-store';
import { FailureType } from '../../../domain/failures';
import { LlmForecastAnswerSchema } from '../../../domain/llm/answer-schemas';
import { formatLlmLine, llmSummaryOf } from '../../../domain/llm/llm-summary';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import type { LlmForecast } from '../../../domain/schemas/llm-outputs';
import { startFakeOpenAiServer, type ScriptedServer } from '../../fakes/fake-openai-server';
import { catchClassified, makeTask, now, TEST_KEY } from './llm-test-kit';

const HEURISTIC: LlmForecast = { pUp: 0.5, expectedReturn: 0, horizonBars: 6, rationale: 'offline' };
const reply = (f: Partial<LlmForecast>) =>
  JSON.stringify({ pUp: 0.62, expectedReturn: 0.003, horizonBars: 6, rationale: 'momentum', ...f });
/** The answer the issue saw from SmolLM2: valid JSON, direction down, rationale up. */
const CONTRADICTORY = reply({ pUp: 0.03, expectedReturn: -0.02, rationale: 'price is expected to increase' });

describe("agreement checks on a provider's answers (OpenAI-compatible fake)", () => {
  let server: ScriptedServer;
  let ledger: MemoryCostLedger;
  beforeEach(async () => {
    server = await startFakeOpenAiServer();
    ledger = new MemoryCostLedger();
  });
  afterEach(async () => {
    await server.close();
    expect(server.errors).toEqual([]);
  });

  const llm = () =>
    createLlm(
      LlmConfigSchema.parse({ provider: 'openai', apiKey: TEST_KEY, baseUrl: `${server.url}/v1`, maxRepairs: 2 }),
      { blobs: new MemoryBlobStore(), ledger, now },
    );
  const task = (): ReasoningTask<LlmForecast> => ({
    ...makeTask(),
    schema: LlmForecastAnswerSchema,
    heuristic: () => HEURISTIC,
  });

  test('a self-contradictory answer is repaired: the model sees why, and the contradiction is counted and in the ledger', async () => {
    server.push(
      { content: CONTRADICTORY, usage: { input: 100, output: 20 } },
      { content: reply({}), usage: { input: 150, output: 20 } },
    );
    const result = await llm().reason(task());
    expect(result.provenance).toMatchObject({ source: 'llm', warning: 'output repaired after 1 invalid reply' });
    expect(result.provenance.usage).toMatchObject({ calls: 2, invalidOutputs: 1, contradictions: 1, fallbacks: 0 });
    const repairTurn = (server.requests[1]?.body as { messages: { content: string }[] }).messages.at(-1)?.content;
    expect(repairTurn).toContain('contradiction: pUp 0.03 says down but the rationale says up');
    const entries = await ledger.entries();
    expect(entries.map((e) => [e.invalid, e.contradiction ?? false])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect((await ledger.sessionTotal('session-test')).contradictions).toBe(1);
  });

  test('contradictory to the end: Llm.Contradiction, non-retryable, with every reply billed and counted', async () => {
    server.push({ content: CONTRADICTORY }, { content: '{"pUp": 2}' }, { content: CONTRADICTORY });
    const err = await catchClassified(llm().reason(task()));
    expect(err).toMatchObject({ type: FailureType.LlmContradiction, retryable: false });
    expect(err.message).toMatch(/R-A reply self-contradictory after 3 attempts/);
    expect(err.usage).toMatchObject({ calls: 3, invalidOutputs: 3, contradictions: 2 });
    const ledgerTotal = await ledger.sessionTotal('session-test');
    expect([ledgerTotal.calls, ledgerTotal.invalidOutputs, ledgerTotal.contradictions]).toEqual([3, 3, 2]);
  });

  test('a malformed last reply keeps the old name, Llm.InvalidOutput', async () => {
    server.push({ content: CONTRADICTORY }, { content: CONTRADICTORY }, { content: 'no JSON' });
    expect((await catchClassified(llm().reason(task()))).type).toBe(FailureType.LlmInvalidOutput);
  });

  test('summary.json and the console line carry the contradictions', () => {
    const usage = {
      ...ZERO_USAGE,
      calls: 9,
      invalidOutputs: 4,
      contradictions: 3,
      fallbacks: 1,
      failures: { 'Llm.Contradiction': 1 },
    };
    expect(llmSummaryOf(usage)).toMatchObject({ llm_invalid_outputs: 4, llm_contradictions: 3 });
    expect(formatLlmLine(usage)).toContain('invalid replies 4 (3 contradictory), fallbacks 1 {Llm.Contradiction: 1}');
  });
});

describe('LLM_PROVIDER=local configuration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(resolve(tmpdir(), 'local-llm-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('needs LLM_MODEL_PATH, and names the model after the file', () => {
    expect(() => loadLlmConfig({ LLM_PROVIDER: 'local' })).toThrow(
      /LLM_MODEL_PATH: provider local needs LLM_MODEL_PATH/,
    );
    const config = loadLlmConfig({
      LLM_PROVIDER: 'local',
      LLM_MODEL_PATH: '/models/SmolLM2-135M-Instruct.Q4_1.gguf',
      LLM_THREADS: '3',
    });
    expect(config).toMatchObject({ provider: 'local', model: 'SmolLM2-135M-Instruct.Q4_1', threads: 3, apiKey: null });
    expect(loadLlmConfig({ LLM_PROVIDER: 'local', LLM_MODEL_PATH: '/m/x.gguf', LLM_MODEL: 'my-name' }).model).toBe(
      'my-name',
    );
    expect(() => loadLlmConfig({ LLM_PROVIDER: 'local', LLM_MODEL_PATH: '/m/x.gguf', LLM_THREADS: '0' })).toThrow(
      /LLM_THREADS/,
    );
  });

  test("one call at a time by default: the worker's LLM slots and the client agree", () => {
    expect(readLlmConcurrency({ LLM_PROVIDER: 'local' })).toBe(1);
    expect(readLlmConcurrency({ LLM_PROVIDER: 'local', LLM_CONCURRENCY: '2' })).toBe(2);
    expect(readLlmConcurrency({ LLM_PROVIDER: 'openai' })).toBe(4);
    expect(loadLlmConfig({ LLM_PROVIDER: 'local', LLM_MODEL_PATH: '/m/x.gguf' }).concurrency).toBe(1);
  });

  test('a missing model file is refused when the LLM is built, naming the file', () => {
    const config = loadLlmConfig({ LLM_PROVIDER: 'local', LLM_MODEL_PATH: resolve(dir, 'absent.gguf') });
    expect(() => createLocalTransport(config)).toThrow(LlmConfigError);
    expect(() => createLlm(config, { blobs: new MemoryBlobStore() })).toThrow(/absent\.gguf: no such file/);
  });

  test('an existing file makes an Llm that serves that one model to every agent, at no cost, loading nothing yet', () => {
    const file = resolve(dir, 'tiny.gguf');
    writeFileSync(file, 'not loaded until the first call');
    const llm = createLlm(loadLlmConfig({ LLM_PROVIDER: 'local', LLM_MODEL_PATH: file }), {
      blobs: new MemoryBlobStore(),
    });
    expect({ provider: llm.provider, model: llm.model }).toEqual({ provider: 'local', model: 'tiny' });
  });

  test('threads: LLM_THREADS capped at the physical cores; by default one core is left to Temporal and the workers', () => {
    expect(chooseThreads(null, 2, 2)).toBe(1);
    expect(chooseThreads(null, 8, 16)).toBe(7);
    expect(chooseThreads(null, 1, 1)).toBe(1);
    expect(chooseThreads(4, 2, 4)).toBe(2);
    expect(chooseThreads(2, 8, 8)).toBe(2);
    expect(chooseThreads(null, 4, 2)).toBe(1);
  });
});
