import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvalidRiskLogEntryError,
  JsonlRiskLog,
  MemoryRiskLog,
  type RiskLog,
} from '../../../adapters/risk-log/risk-log';
import type { RiskLogEntry } from '../../../domain/schemas/risk';
import { makeOrder } from '../../unit/risk/fixtures';

function makeEntry(key: string, over: Partial<RiskLogEntry> = {}): RiskLogEntry {
  return {
    key,
    sessionId: 's1',
    iterationId: 'iter-1',
    attempt: 0,
    barCloseMs: 1_704_888_000_000,
    riskManagerId: 'risk-a',
    traderId: 'trader-a',
    verdict: { status: 'soft_fail', reasons: ['leverage 8 above max 5: use at most 5'], retryFrom: 'T-B', checks: [] },
    order: makeOrder(),
    ...over,
  };
}

let dir: string;
let warnings: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'risk-log-'));
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const openLog = (path = join(dir, 'risk.jsonl')) => new JsonlRiskLog(path, { warn: (m) => warnings.push(m) });

async function countLines(path: string): Promise<number> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').length;
}

describe.each([
  ['MemoryRiskLog', (): RiskLog => new MemoryRiskLog()],
  ['JsonlRiskLog', (): RiskLog => openLog(join(dir, 'nested', 'risk.jsonl'))],
])('%s', (_name, create) => {
  test('appends once per key and reads back what it wrote', async () => {
    const log = create();
    expect(await log.append(makeEntry('iter-1:0'))).toEqual({ written: true });
    expect(await log.append(makeEntry('iter-1:0', { attempt: 9 }))).toEqual({ written: false });
    expect(await log.read()).toEqual([makeEntry('iter-1:0')]);
  });

  test('filters by session and iteration and keeps the most recent `limit`', async () => {
    const log = create();
    await log.append(makeEntry('a', { iterationId: 'iter-1' }));
    await log.append(makeEntry('b', { iterationId: 'iter-2' }));
    await log.append(makeEntry('c', { iterationId: 'iter-2', attempt: 1 }));
    await log.append(makeEntry('d', { sessionId: 's2' }));
    expect((await log.read({ iterationId: 'iter-2' })).map((e) => e.key)).toEqual(['b', 'c']);
    expect((await log.read({ sessionId: 's1', limit: 2 })).map((e) => e.key)).toEqual(['b', 'c']);
    expect((await log.read({ sessionId: 's2' })).map((e) => e.key)).toEqual(['d']);
  });

  test('rejects an entry that does not match the schema', async () => {
    const log = create();
    await expect(log.append({ ...makeEntry('x'), attempt: -1 })).rejects.toBeInstanceOf(InvalidRiskLogEntryError);
    expect(await log.read()).toEqual([]);
  });
});

describe('JsonlRiskLog on disk', () => {
  test('is idempotent across two instances on the same file (a restarted worker)', async () => {
    const path = join(dir, 'risk.jsonl');
    const first = openLog(path);
    const second = openLog(path);
    expect(await second.read()).toEqual([]);
    expect(await second.append(makeEntry('k0'))).toEqual({ written: true }); // second indexes an empty file first
    expect(await first.append(makeEntry('k1'))).toEqual({ written: true });
    expect(await first.append(makeEntry('k0'))).toEqual({ written: false });
    expect(await second.append(makeEntry('k1'))).toEqual({ written: false });
    expect(await openLog(path).append(makeEntry('k1'))).toEqual({ written: false });
    expect(await countLines(path)).toBe(2);
  });

  test('concurrent appends of the same key in one process write one line', async () => {
    const log = openLog();
    const results = await Promise.all([
      log.append(makeEntry('same')),
      log.append(makeEntry('same')),
      log.append(makeEntry('other')),
    ]);
    expect(results.map((r) => r.written)).toEqual([true, false, true]);
    expect(await countLines(join(dir, 'risk.jsonl'))).toBe(2);
  });

  test('a truncated last line (crash mid-write) is skipped with a warning, and later appends stay readable', async () => {
    const path = join(dir, 'risk.jsonl');
    const full = JSON.stringify(makeEntry('done'));
    const torn = JSON.stringify(makeEntry('torn')).slice(0, 80);
    await writeFile(path, `${full}\n${torn}`);
    const log = openLog(path);
    expect((await log.read()).map((e) => e.key)).toEqual(['done']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/skipped an unreadable line/);
    // The torn attempt was never acknowledged, so its retry must be written.
    expect(await log.append(makeEntry('torn'))).toEqual({ written: true });
    expect(await log.append(makeEntry('done'))).toEqual({ written: false });
    expect((await openLog(path).read()).map((e) => e.key)).toEqual(['done', 'torn']);
  });

  test('a corrupt line in the middle is skipped, not fatal', async () => {
    const path = join(dir, 'risk.jsonl');
    await writeFile(path, `${JSON.stringify(makeEntry('a'))}\n{"key":"bad"}\nnot json\n`);
    await appendFile(path, `${JSON.stringify(makeEntry('b'))}\n`);
    const log = openLog(path);
    expect((await log.read()).map((e) => e.key)).toEqual(['a', 'b']);
    expect(warnings).toHaveLength(2);
  });

  test('each line is one JSON entry ending in a newline', async () => {
    const path = join(dir, 'risk.jsonl');
    await openLog(path).append(makeEntry('k'));
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text.trim())).toEqual(makeEntry('k'));
  });
});
