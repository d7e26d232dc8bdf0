import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBacktestOutput } from '../../workers/backtest-output';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const H = 3600_000;

describe('off-grid funding rows in a backtest', () => {
  it('lists each off-grid row of the funding file in summary.json data_issues, by file and line', async () => {
    // The real funding history up to 2023-03-01, with one row moved 3h off its 8h settlement.
    const real = readFileSync(`${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`, 'utf8').trim().split('\n');
    const lines = real.filter((l, i) => i === 0 || Number(l.split(',')[0]) < Date.UTC(2023, 2, 1));
    const moved = lines.findIndex((l) => l.startsWith(`${Date.UTC(2023, 0, 10, 8)},`));
    expect(moved).toBeGreaterThan(0);
    lines[moved] = `${Date.UTC(2023, 0, 10, 8) - 3 * H},${lines[moved]!.split(',')[1]}`;
    const dir = mkdtempSync(join(tmpdir(), 'funding-issues-'));
    const funding = join(dir, 'funding.csv');
    writeFileSync(funding, lines.join('\n') + '\n');

    const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, { funding });
    const config = await buildSessionConfig({
      sessionId: 'funding-issues',
      mode: 'backtest',
      feed,
      fromMs: Date.UTC(2023, 0, 10),
      toMs: Date.UTC(2023, 0, 11),
    });
    const deps = testDeps();
    const result = await runFastBacktest(config, deps);
    const summary = await writeBacktestOutput(join(dir, 'out'), {
      ...result,
      candles: [],
      funding: [],
      riskLog: deps.riskLog,
      runner: 'fast',
      seconds: 0,
    });

    const written = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as {
      data_issues: { file: string; row: number; message: string }[];
    };
    expect(written.data_issues).toEqual(summary.data_issues);
    expect(written.data_issues).toEqual([
      {
        file: funding,
        row: moved + 1,
        time: '2023-01-10T05:00:00.000Z',
        kind: 'funding_off_grid',
        message: expect.stringContaining('2023-01-10T05:00:00.000Z is off the 8h settlement grid'),
      },
    ]);
  });
});
