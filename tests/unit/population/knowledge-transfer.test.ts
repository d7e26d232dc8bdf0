import { PRUNED_TAG } from '../../../domain/population/catalog';
import {
  applyLessons,
  knowledgeTransferSliceOf,
  listRolesDue,
  planKnowledgeTransfer,
  restoreCandidates,
} from '../../../domain/population/knowledge-transfer';
import type { KnowledgeTransferOptions } from '../../../domain/population/knowledge-transfer';
import { RESEARCHER_FORECAST_WINDOW } from '../../../domain/population/rank';
import type { Agent, MethodStats, Populations } from '../../../domain/schemas/agents';
import type { LearningState } from '../../../domain/schemas/learning';
import { makeCtx, makeHits, makeLearning, makePopulations } from './fixtures';

function plan(round: number, populations: Populations, learning: LearningState, opts: KnowledgeTransferOptions = {}) {
  return planKnowledgeTransfer(
    { ctx: makeCtx(round), populations, learning, traderEvery: 20, every: 10 },
    { regime: null, ...opts },
  );
}

function setMethod(p: Populations, agentIndex: number, id: string, patch: Partial<MethodStats>): Populations {
  const agent = p.analyst[agentIndex]!;
  const next: Agent = {
    ...agent,
    inventory: {
      ...agent.inventory,
      'A-C': agent.inventory['A-C']!.map((m) => (m.id === id ? { ...m, ...patch } : m)),
    },
  };
  return { ...p, analyst: p.analyst.map((a, i) => (i === agentIndex ? next : a)) };
}

const acMethod = (p: Populations, i: number, id: string) => p.analyst[i]!.inventory['A-C']!.find((m) => m.id === id)!;

describe('knowledge transfer cadence', () => {
  it('runs traders every traderEvery rounds and the other roles every `every` rounds, never at round 0', () => {
    expect(listRolesDue(0, 10, 20)).toEqual([]);
    expect(listRolesDue(10, 10, 20)).toEqual(['analyst', 'researcher', 'risk_manager']);
    expect(listRolesDue(20, 10, 20)).toEqual(['analyst', 'researcher', 'trader', 'risk_manager']);
    expect(listRolesDue(15, 10, 5)).toEqual(['trader']);
  });
});

describe('teaching', () => {
  const hits = (a1: number, a2: number, a3: number, n: number) =>
    makeLearning({
      trendHits: { 'analyst-1': makeHits(a1, n), 'analyst-2': makeHits(a2, n), 'analyst-3': makeHits(a3, n) },
    });

  it('lets the leader teach every peer it beats by the margin when it has enough samples', () => {
    const out = plan(10, makePopulations(), hits(0.6, 0.7, 0.5, 20));
    const teach = out.events.filter((e) => e.type === 'teach');
    expect(teach.map((e) => [e.teacher, e.agent])).toEqual([
      ['analyst-2', 'analyst-1'],
      ['analyst-2', 'analyst-3'],
    ]);
    expect(teach[0]!.reason).toContain('0.700 (lower bound 0.516, n 20)');
    expect(teach[0]!.reason).toContain('lead 0.100 >= margin 0.02');
  });

  it('does not teach on a lucky streak with fewer than minSamples outcomes', () => {
    const out = plan(10, makePopulations(), hits(0.4, 1, 0.4, 5));
    expect(out.events.filter((e) => e.type === 'teach')).toEqual([]);
    expect(out.populations.analyst).toEqual(makePopulations().analyst);
  });

  it("does not teach without demonstrated skill: the leader's lower bound must clear the neutral hit rate", () => {
    // 0.55 over 40 calls: Wilson lower bound ≈ 0.42 < 0.5, so no lesson although the lead is 0.1.
    const out = plan(10, makePopulations(), hits(0.45, 0.55, 0.45, 40));
    expect(out.events.filter((e) => e.type === 'teach')).toEqual([]);
  });

  it('teaching off (config.learning.teaching = false) teaches nobody', () => {
    expect(
      plan(10, makePopulations(), hits(0.6, 0.7, 0.5, 20), { teaching: false }).events.filter(
        (e) => e.type === 'teach',
      ),
    ).toEqual([]);
  });

  it('skips students within the margin of the leader', () => {
    const learning = makeLearning({
      trendHits: { 'analyst-1': makeHits(0.69, 100), 'analyst-2': makeHits(0.7, 100), 'analyst-3': makeHits(0.5, 100) },
    });
    const out = plan(10, makePopulations(), learning, { rankWindow: 100 });
    expect(out.events.filter((e) => e.type === 'teach').map((e) => e.agent)).toEqual(['analyst-3']);
  });

  it('counts a lead of exactly the margin despite floating point', () => {
    const learning = makeLearning({ trendHits: { 'analyst-1': makeHits(0.68, 50), 'analyst-2': makeHits(0.7, 50) } }); // 0.7 − 0.68 = 0.01999… in floating point
    expect(
      plan(10, makePopulations(), learning, { rankWindow: 100 })
        .events.filter((e) => e.type === 'teach')
        .map((e) => e.agent),
    ).toContain('analyst-1');
  });

  it('blends scores, evidence and params as (1 − blend)·own + blend·teacher, rounding integer params', () => {
    let p = makePopulations();
    p = setMethod(p, 1, 'adx', { score: 0.8, n: 40, params: { period: 20, threshold: 30.5 } });
    p = setMethod(p, 0, 'adx', { score: 0.4, n: 10, params: { period: 14, threshold: 25 } });
    const out = plan(10, p, hits(0.5, 0.7, 0.7, 20), { blend: 0.3 });
    const student = acMethod(out.populations, 0, 'adx');
    expect(student.score).toBeCloseTo(0.7 * 0.4 + 0.3 * 0.8, 12);
    expect(student.n).toBe(19); // 0.7·10 + 0.3·40
    expect(student.params.period).toBe(16); // 0.7·14 + 0.3·20 = 15.8 → 16
    expect(student.params.threshold).toBeCloseTo(0.7 * 25 + 0.3 * 30.5, 12);
    expect(student.uses).toBe(acMethod(p, 0, 'adx').uses);
    // analyst-3 ties analyst-2 (the leader by lowest id) and is not taught
    expect(out.populations.analyst[2]).toEqual(p.analyst[2]);
    expect(out.populations.analyst[1]).toEqual(p.analyst[1]);
  });

  it('asks for lessons only for agents with their own model, unless told every agent is LLM-driven', () => {
    const base = makePopulations();
    const p = { ...base, analyst: base.analyst.map((a) => (a.id === 'analyst-3' ? { ...a, model: 'gpt-x' } : a)) };
    const out = plan(10, p, hits(0.5, 0.7, 0.5, 20));
    expect(out.lessonRequests.map((r) => [r.teacherId, r.studentId, r.role])).toEqual([
      ['analyst-2', 'analyst-3', 'analyst'],
    ]);
    expect(out.lessonRequests[0]!.summary).toContain('trend hit rate 0.700');
    expect(plan(10, p, hits(0.5, 0.7, 0.5, 20), { lessonsFor: 'all' }).lessonRequests).toHaveLength(2);
  });

  it('leaves traders alone on a round due only for the other roles', () => {
    const learning = makeLearning({
      traderR: { 'trader-1': Array.from({ length: 20 }, () => 1), 'trader-2': Array.from({ length: 20 }, () => -1) },
    });
    expect(plan(10, makePopulations(), learning).events.filter((e) => e.role === 'trader')).toEqual([]);
    expect(
      plan(20, makePopulations(), learning).events.filter((e) => e.role === 'trader' && e.type === 'teach'),
    ).toHaveLength(1);
  });
});

describe('pruning', () => {
  /** analyst-1 uses ema-cross and donchian recently; adx (trend-tagged) and range-band (range-tagged) sit idle. */
  function idlePopulations(): Populations {
    let p = makePopulations();
    p = setMethod(p, 0, 'ema-cross', { uses: 30, lastUsedRound: 59 });
    p = setMethod(p, 0, 'donchian', { uses: 20, lastUsedRound: 58 });
    p = setMethod(p, 0, 'adx', { uses: 2, lastUsedRound: 5 });
    p = setMethod(p, 0, 'range-band', { uses: 1, lastUsedRound: 3 });
    return p;
  }
  const opts = { pruneWindow: 30, minRegimeSeen: 20 };

  it('keeps methods tagged for a regime that has not been seen enough', () => {
    const learning = makeLearning({ regimeCounts: { range: 5, trend_up: 19, trend_down: 50 } });
    const out = plan(60, idlePopulations(), learning, opts);
    expect(out.events.filter((e) => e.type === 'prune' && e.agent === 'analyst-1')).toEqual([]);
  });

  it('prunes the least used idle method once its regime has been seen enough, with the numbers in the reason', () => {
    const learning = makeLearning({ regimeCounts: { range: 25, trend_up: 5, trend_down: 5 } });
    const out = plan(60, idlePopulations(), learning, opts);
    const prunes = out.events.filter((e) => e.type === 'prune' && e.agent === 'analyst-1');
    expect(prunes.map((e) => e.method)).toEqual(['range-band']);
    expect(prunes[0]!.reason).toContain('0 uses in the last 30 rounds');
    expect(prunes[0]!.reason).toContain('1 uses in total');
    expect(acMethod(out.populations, 0, 'range-band').tags).toContain(PRUNED_TAG);
    const off = plan(60, idlePopulations(), learning, { ...opts, pruning: false });
    expect(off.events.filter((e) => e.type === 'prune')).toEqual([]);
    expect(acMethod(off.populations, 0, 'range-band').tags).not.toContain(PRUNED_TAG);
  });

  it('prunes one method per step per transfer and always keeps two', () => {
    const learning = makeLearning({ regimeCounts: { range: 25, trend_up: 25, trend_down: 25 } });
    const first = plan(60, idlePopulations(), learning, opts);
    expect(first.events.filter((e) => e.type === 'prune' && e.agent === 'analyst-1').map((e) => e.method)).toEqual([
      'range-band',
    ]);
    const second = plan(70, first.populations, learning, opts);
    expect(second.events.filter((e) => e.type === 'prune' && e.agent === 'analyst-1').map((e) => e.method)).toEqual([
      'adx',
    ]);
    const third = plan(120, second.populations, learning, opts);
    expect(third.events.filter((e) => e.agent === 'analyst-1' && e.type === 'prune')).toEqual([]);
    expect(third.populations.analyst[0]!.inventory['A-C']!.filter((m) => !m.tags.includes(PRUNED_TAG))).toHaveLength(2);
  });

  it('never prunes before a full window has passed or a method tagged for the current regime', () => {
    const learning = makeLearning({ regimeCounts: { range: 25, trend_up: 25, trend_down: 25 } });
    expect(plan(20, idlePopulations(), learning, opts).events.filter((e) => e.type === 'prune')).toEqual([]);
    const inRange = plan(60, idlePopulations(), learning, { ...opts, regime: 'range' });
    expect(inRange.events.filter((e) => e.type === 'prune' && e.agent === 'analyst-1').map((e) => e.method)).toEqual([
      'adx',
    ]);
  });

  it('restores a pruned method when its regime returns, giving it a fresh window', () => {
    const learning = makeLearning({ regimeCounts: { range: 25, trend_up: 5, trend_down: 5 } });
    const pruned = plan(60, idlePopulations(), learning, opts).populations;
    expect(restoreCandidates(pruned, 'range').map((e) => [e.agentId, e.methodId])).toContainEqual([
      'analyst-1',
      'range-band',
    ]);
    expect(restoreCandidates(pruned, 'trend_up')).toEqual([]);
    const back = plan(70, pruned, learning, { ...opts, regime: 'range' });
    const restore = back.events.filter((e) => e.type === 'restore');
    expect(restore.map((e) => [e.agent, e.method])).toContainEqual(['analyst-1', 'range-band']);
    expect(restore[0]!.reason).toContain('regime range is back');
    const m = acMethod(back.populations, 0, 'range-band');
    expect(m.tags).toEqual(['range']);
    expect(m.lastUsedRound).toBe(70);
  });

  it('infers the current regime from the newest pending trend call when none is given', () => {
    const learning = makeLearning({
      regimeCounts: { range: 25 },
      pendingTrendCalls: [
        {
          agentId: 'analyst-1',
          method: 'A-C:adx',
          regime: 'trend_up',
          barCloseMs: 1,
          maturesAtMs: 9,
          closeAtCall: 100,
          direction: 'up',
        },
        {
          agentId: 'analyst-1',
          method: 'A-C:adx',
          regime: 'range',
          barCloseMs: 2,
          maturesAtMs: 9,
          closeAtCall: 100,
          direction: 'flat',
        },
      ],
    });
    const out = planKnowledgeTransfer(
      { ctx: makeCtx(60), populations: idlePopulations(), learning, traderEvery: 20, every: 10 },
      opts,
    );
    expect(out.events.filter((e) => e.type === 'prune' && e.agent === 'analyst-1').map((e) => e.method)).not.toContain(
      'range-band',
    );
  });
});

describe('applyLessons', () => {
  it('appends trimmed lessons, keeps the newest maxNotes, and skips unknown agents and empty text', () => {
    let p = makePopulations();
    for (let i = 1; i <= 6; i++) p = applyLessons(p, [{ agentId: 'analyst-1', lesson: `  lesson ${i}  ` }]);
    p = applyLessons(
      p,
      [
        { agentId: 'ghost', lesson: 'x' },
        { agentId: 'analyst-2', lesson: '   ' },
        { agentId: 'analyst-3', lesson: 'y'.repeat(500) },
      ],
      5,
      400,
    );
    expect(p.analyst[0]!.notes).toEqual(['lesson 2', 'lesson 3', 'lesson 4', 'lesson 5', 'lesson 6']);
    expect(p.analyst[1]!.notes).toEqual([]);
    expect(p.analyst[2]!.notes[0]).toHaveLength(400);
  });
});

describe('the learning slice knowledge transfer reads', () => {
  // 150 old outcomes that would reverse the ranking, then 50 recent ones: only the recent window counts.
  const long = (old: number, recent: number) => [...makeHits(old, 150), ...makeHits(recent, 50)];
  const learning = makeLearning({
    trendHits: { 'analyst-1': long(0.9, 0.5), 'analyst-2': long(0.2, 0.8), 'analyst-3': long(0.9, 0.55) },
    traderR: { 'trader-1': [...Array<number>(120).fill(2), ...Array<number>(50).fill(-0.5)], 'trader-2': [0.4, 0.6] },
    regimeCounts: { trend_up: 40, range: 3 },
  });

  it('plans exactly as the whole learning state does, for every role due', () => {
    const input = { ctx: makeCtx(20), populations: makePopulations(), traderEvery: 20, every: 10 };
    const whole = planKnowledgeTransfer({ ...input, learning });
    const sliced = planKnowledgeTransfer({ ...input, learning: knowledgeTransferSliceOf(learning) });
    expect(whole.events.some((e) => e.type === 'teach')).toBe(true);
    expect(sliced).toEqual(whole);
  });

  it('keeps only the ranking window per agent and no pending items beyond the newest trend call', () => {
    const slice = knowledgeTransferSliceOf(learning);
    expect(Object.values(slice.trendHits).map((xs) => xs.length)).toEqual([50, 50, 50]);
    expect(slice.trendHits['analyst-2']).toEqual(learning.trendHits['analyst-2']!.slice(150));
    expect(slice.traderR['trader-2']).toEqual([0.4, 0.6]);
    // Researchers' bounds rest on their newest RESEARCHER_FORECAST_WINDOW forecasts (overlapping, n / 12 outcomes).
    const forecasts = Array.from({ length: RESEARCHER_FORECAST_WINDOW + 30 }, (_, i) => ({
      p: 0.6,
      pRaw: 0.6,
      outcome: 1 as const,
      barCloseMs: i,
    }));
    const withForecasts = knowledgeTransferSliceOf(makeLearning({ forecastHistory: { 'researcher-1': forecasts } }));
    expect(withForecasts.forecastHistory['researcher-1']).toEqual(forecasts.slice(30));
    expect(slice.regimeCounts).toEqual(learning.regimeCounts);
    expect(JSON.stringify(slice).length).toBeLessThan(JSON.stringify(learning).length / 2);
  });
});
