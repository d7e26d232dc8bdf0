import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { peakRssMbOf, WORKER_NODE_FLAGS } from '../../workers/worker-process';

const scripts = (
  JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('the node flags of long-running desk processes', () => {
  it.each(['worker', 'start'])('npm run %s carries every flag the spawned workers get', (name) => {
    const command = scripts[name] ?? '';
    const node = / tsx ((?:--\S+ )*)scripts\//.exec(` ${command}`);
    expect(node).not.toBeNull();
    expect(node![1]!.trim().split(/\s+/)).toEqual([...WORKER_NODE_FLAGS]);
  });

  it('cap the old generation below the 4 GB default', () => {
    const cap = WORKER_NODE_FLAGS.map((f) => /^--max-old-space-size=(\d+)$/.exec(f)?.[1]).find(Boolean);
    expect(Number(cap)).toBeGreaterThan(0);
    expect(Number(cap)).toBeLessThan(4096);
  });
});

describe('peakRssMbOf', () => {
  it("reads this process's high-water mark, at least its current RSS", () => {
    const peak = peakRssMbOf(process.pid);
    expect(peak).not.toBeNull();
    expect(peak!).toBeGreaterThanOrEqual(process.memoryUsage.rss() / 2 ** 20 - 1);
  });
});

describe('what a paper worker loads', () => {
  it('leaves ccxt and the LLM provider SDKs unloaded until a live feed, a venue or a provider asks for them', () => {
    const script = [
      "const { buildActivityDeps } = require('./workers/build-deps');",
      "require('./workers/worker');",
      "buildActivityDeps({ dataDir: require('node:os').tmpdir(), env: { LLM_PROVIDER: 'heuristic' }, inMemory: true });",
      'const loaded = (name) => Object.keys(require.cache).some((k) => k.includes(`/node_modules/${name}/`));',
      "console.log(JSON.stringify(['ccxt', 'openai', '@anthropic-ai/sdk'].map(loaded)));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: resolve(__dirname, '../..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([false, false, false]);
  });
});
