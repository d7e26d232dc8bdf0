import { resolve } from 'node:path';
import type { LearningEvent, Populations, Role } from '../../domain/schemas/agents';
import { runFastBacktest } from '../../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../../workers/session-config';
import { testDeps } from '../helpers/temporal';

const DATA = resolve(__dirname, '../../../shared/data');
const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
  funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
});
const W = 24;

async function run(knowledgeTransferEvery: number) {
  const config = await buildSessionConfig({
    sessionId: 'teach',
    mode: 'backtest',
    feed,
    fromMs: Date.UTC(2022, 0, 1),
    toMs: Date.UTC(2022, 4, 1),
    knowledgeTransferEvery,
  });
  const snaps: Populations[] = [];
  const result = await runFastBacktest(config, testDeps(), (_d, _t, _r, s) => snaps.push(s.populations));
  return { snaps, events: result.reports.flatMap((r) => r.learningEvents) };
}

/** Share of an agent's method uses per method for one step, over rounds (k0, k1]. */
function usageShare(
  snaps: Populations[],
  k0: number,
  k1: number,
  role: Role,
  id: string,
  step: string,
): Record<string, number> {
  const uses = (k: number) =>
    new Map((snaps[k]![role].find((a) => a.id === id)!.inventory[step as 'A-B'] ?? []).map((m) => [m.id, m.uses]));
  const a = uses(k0);
  const d = [...uses(k1)].map(([m, u]) => [m, u - (a.get(m) ?? 0)] as const);
  const total = d.reduce((s, [, x]) => s + x, 0);
  return Object.fromEntries(d.map(([m, x]) => [m, total > 0 ? x / total : 0]));
}

const l1 = (x: Record<string, number>, y: Record<string, number>) =>
  Object.keys({ ...x, ...y }).reduce((s, k) => s + Math.abs((x[k] ?? 0) - (y[k] ?? 0)), 0);

/** Mean L1 distance between the student's method usage and the teacher's over the W rounds after each teaching. */
function distanceAfter(snaps: Populations[], teach: LearningEvent[]): number {
  const ds: number[] = [];
  for (const e of teach) {
    const i = e.round - 1;
    if (i - W < 0 || i + W >= snaps.length) continue;
    const role = e.role;
    for (const step of Object.keys(snaps[i]![role][0]!.inventory)) {
      ds.push(
        l1(usageShare(snaps, i, i + W, role, e.agent, step), usageShare(snaps, i, i + W, role, e.teacher!, step)),
      );
    }
  }
  return ds.reduce((s, x) => s + x, 0) / ds.length;
}

describe('knowledge transfer on real data', () => {
  it('students use their methods more like their teachers after teaching than the same agents do without it', async () => {
    const taught = await run(6);
    const teach = taught.events.filter((e) => e.type === 'teach');
    expect(teach.length).toBeGreaterThan(5);
    expect(taught.events.some((e) => e.type === 'prune')).toBe(true);
    // Control: the same bars, seed and agents with no knowledge transfer; same (round, student, teacher) pairs.
    const control = await run(100_000);
    expect(control.events).toEqual([]);
    const withTeaching = distanceAfter(taught.snaps, teach);
    const without = distanceAfter(control.snaps, teach);
    expect({ withTeaching, closerThanControl: withTeaching < without }).toEqual({
      withTeaching,
      closerThanControl: true,
    });
  });
});
