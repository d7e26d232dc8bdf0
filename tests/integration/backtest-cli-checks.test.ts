import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseIntegerFlag } from '../../workers/cli-args';
import { keepIssuesUpTo } from '../../workers/format-data-issues';
import { ensureWritableOutputDir } from '../../workers/output-dir';

const ROOT = resolve(__dirname, '../..');
const DATA = resolve(ROOT, '../shared/data');

/** Runs `npm run backtest` without the setup step; the deadline only stops a hang, it asserts nothing. */
function backtest(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/.bin/tsx'), 'scripts/backtest.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-data-')) },
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

const DATA_ARGS = [
  '--data',
  `${DATA}/candles/binance_usdm_btcusdt_perp_4h_2023-2025.csv`,
  '--from',
  '2023-03-01',
  '--to',
  '2023-03-03',
];

describe('backtest command-line checks happen before the run', () => {
  it('--out /proc/x fails at once, naming the flag and the directory', () => {
    const r = backtest([...DATA_ARGS, '--out', '/proc/x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('backtest failed: --out /proc/x: cannot create or write the output directory');
    expect(r.stdout).not.toContain('bars 1/');
  });

  it('--seed abc and --walk-forward abc are refused with the flag name', () => {
    expect(backtest([...DATA_ARGS, '--seed', 'abc']).stderr).toContain("--seed must be an integer, got 'abc'");
    expect(backtest([...DATA_ARGS, '--walk-forward', 'abc']).stderr).toContain(
      "--walk-forward must be a positive integer, got 'abc'",
    );
  });

  it('parseIntegerFlag accepts integers only, within the bound', () => {
    expect(parseIntegerFlag('--seed', '-3')).toBe(-3);
    expect(() => parseIntegerFlag('--seed', '1.5')).toThrow("--seed must be an integer, got '1.5'");
    expect(() => parseIntegerFlag('--walk-forward', '0', 1)).toThrow(
      "--walk-forward must be a positive integer, got '0'",
    );
  });

  it('ensureWritableOutputDir creates nested folders and refuses an unwritable place without hanging', () => {
    const base = mkdtempSync(join(tmpdir(), 'out-'));
    expect(ensureWritableOutputDir(join(base, 'a/b/c'))).toBe(join(base, 'a/b/c'));
    expect(() => ensureWritableOutputDir('/proc/x/y')).toThrow(
      /--out \/proc\/x\/y: cannot create or write the output directory \(ENOENT/,
    );
  });
});

describe('data issues a run reports', () => {
  it('keeps only issues up to the last traded bar (later bars may be a holdout)', () => {
    const issues = [
      { kind: 'gap', time: '2023-03-10T00:00:00.000Z', message: 'inside' },
      { kind: 'gap', time: '2025-08-01T00:00:00.000Z', message: 'after the window' },
      { kind: 'coverage', message: 'no time' },
    ];
    expect(keepIssuesUpTo(issues, Date.UTC(2023, 11, 31)).map((i) => i.message)).toEqual(['inside', 'no time']);
  });
});
