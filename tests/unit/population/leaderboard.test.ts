import { PRUNED_TAG } from '../../../domain/population/catalog';
import { buildLeaderboard, buildSummaryAgents } from '../../../domain/population/leaderboard';
import { makeHits, makeLearning, makePopulations } from './fixtures';

describe('buildLeaderboard', () => {
  it('lists every agent role by role, best first, with every method and its pruned state', () => {
    const p = makePopulations();
    const ac = p.analyst[2]!.inventory['A-C']!;
    ac[0] = { ...ac[0]!, uses: 4, tags: [PRUNED_TAG] };
    const rows = buildLeaderboard(p, makeLearning({ trendHits: { 'analyst-3': makeHits(0.8, 10) } }));
    expect(rows.map((r) => r.agentId)).toEqual([
      'analyst-3',
      'analyst-1',
      'analyst-2',
      'researcher-1',
      'researcher-2',
      'researcher-3',
      'trader-1',
      'trader-2',
      'risk_manager-1',
    ]);
    expect(rows[0]).toMatchObject({ role: 'analyst', score: 0.8, n: 10 });
    expect(rows[0]!.methods).toHaveLength(2 + 4);
    expect(rows[0]!.methods.find((m) => m.id === 'ema-cross')).toMatchObject({ step: 'A-C', uses: 4, pruned: true });
  });

  it('shapes summary.json agents as {id, role, score, methods: [{id, uses, score}]}', () => {
    const [first] = buildSummaryAgents(makePopulations(), makeLearning());
    expect(Object.keys(first!).sort()).toEqual(['id', 'methods', 'n', 'role', 'score']);
    expect(Object.keys(first!.methods[0]!).sort()).toEqual(['id', 'score', 'uses']);
  });
});
