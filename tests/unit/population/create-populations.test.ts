import { InvalidPopulationError, createPopulations } from '../../../domain/population/create-populations';
import { PopulationsSchema } from '../../../domain/schemas/agents';
import { CATALOG, SIZES, makePopulations } from './fixtures';

describe('createPopulations', () => {
  it('names agents <role>-<i> and sizes each population as asked', () => {
    const p = makePopulations();
    expect(p.analyst.map((a) => a.id)).toEqual(['analyst-1', 'analyst-2', 'analyst-3']);
    expect(p.trader.map((a) => a.id)).toEqual(['trader-1', 'trader-2']);
    expect(p.risk_manager.map((a) => a.id)).toEqual(['risk_manager-1']);
    expect(() => PopulationsSchema.parse(p)).not.toThrow();
  });

  it('gives every agent every catalog method of its own steps only, unused and unscored', () => {
    const p = makePopulations();
    const analyst = p.analyst[0]!;
    expect(Object.keys(analyst.inventory).sort()).toEqual(['A-B', 'A-C']);
    expect(analyst.inventory['A-C']!.map((m) => m.id)).toEqual(CATALOG['A-C'].map((m) => m.id));
    expect(Object.keys(p.researcher[0]!.inventory).sort()).toEqual(['R-A', 'R-B', 'R-C']);
    for (const m of analyst.inventory['A-C']!) {
      expect(m).toMatchObject({ uses: 0, n: 0, lastUsedRound: -1 });
      expect(Math.abs(m.score - 0.5)).toBeLessThanOrEqual(0.05);
    }
    expect(analyst.model).toBeNull();
  });

  it('is deterministic for a seed and gives agents different priors', () => {
    expect(makePopulations(3)).toEqual(makePopulations(3));
    expect(makePopulations(3)).not.toEqual(makePopulations(4));
    const [a1, a2] = makePopulations(3).analyst;
    expect(a1!.inventory['A-C']!.map((m) => m.score)).not.toEqual(a2!.inventory['A-C']!.map((m) => m.score));
  });

  it('copies catalog params and tags instead of sharing them', () => {
    const p = makePopulations();
    p.analyst[0]!.inventory['A-C']![1]!.tags.push('x');
    expect(CATALOG['A-C'][1]!.tags).toEqual(['trend_up', 'trend_down']);
  });

  it('rejects an empty population', () => {
    expect(() => createPopulations({ ...SIZES, trader: 0 }, CATALOG, 1)).toThrow(InvalidPopulationError);
  });
});
