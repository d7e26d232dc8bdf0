import { BAR_MS } from '../../../domain/schemas/config';
import { UnknownMethodError } from '../../../domain/methods/method-definition';
import { FORECAST_METHODS, forecastFromLlm, forecastHeuristic } from '../../../domain/research/forecast-methods';
import { ForecastSchema } from '../../../domain/schemas/research';
import { type ForecastInput } from '../../../domain/schemas/steps';
import { type TrendCall } from '../../../domain/schemas/analysis';
import { type ScoredForecast } from '../../../domain/schemas/learning';
import { ZERO_USAGE } from '../../../domain/schemas/llm';
import { BAR_CLOSE_MS, CTX, makeAnalysis, makeRng, RESEARCHER } from './fixtures';

function makeInput(
  id: string,
  values: Record<string, number | null> = {},
  opts: {
    trend?: Partial<TrendCall>;
    headlines?: string[];
    history?: ScoredForecast[];
    params?: Record<string, number>;
  } = {},
): ForecastInput {
  return {
    ctx: CTX,
    agent: RESEARCHER,
    method: { id, params: opts.params ?? {} },
    analysis: makeAnalysis(values, opts.trend, opts.headlines),
    history: opts.history ?? [],
  };
}

const BULL_TREND = { ret_6: 0.03, ret_30: 0.08, ema_21: 50_400, ema_50: 49_600 };
const BEAR_TREND = { ret_6: -0.03, ret_30: -0.08, ema_21: 49_600, ema_50: 50_400 };
const ids = FORECAST_METHODS.map((m) => m.id);

describe('forecastHeuristic', () => {
  it('defines the five methods of the brief plus time-series momentum and funding carry, each citing its evidence', () => {
    expect(ids).toEqual([
      'momentum',
      'mean_reversion',
      'breakout',
      'tsmom',
      'funding_carry',
      'logistic',
      'llm_narrative',
    ]);
    expect(FORECAST_METHODS.find((m) => m.id === 'tsmom')!.description).toContain('Moskowitz, Ooi & Pedersen 2012');
    expect(FORECAST_METHODS.find((m) => m.id === 'funding_carry')!.description).toContain(
      'Koijen, Moskowitz, Pedersen & Vrugt 2018',
    );
  });

  it('tsmom: positive two- and four-week returns lift pUp, negative ones lower it; short-term returns do not move it', () => {
    expect(forecastHeuristic(makeInput('tsmom', { ret_84: 0.15, ret_180: 0.25 })).pUp).toBeGreaterThan(0.55);
    expect(forecastHeuristic(makeInput('tsmom', { ret_84: -0.15, ret_180: -0.25 })).pUp).toBeLessThan(0.45);
    expect(forecastHeuristic(makeInput('tsmom', BULL_TREND)).pUp).toBeCloseTo(0.5, 10);
  });

  it('funding_carry: funding above the 0.01% neutral rate leans short, below it leans long', () => {
    expect(forecastHeuristic(makeInput('funding_carry', { funding_rate: 0.0005 })).pUp).toBeLessThan(0.4);
    expect(forecastHeuristic(makeInput('funding_carry', { funding_rate: -0.0002 })).pUp).toBeGreaterThan(0.6);
    expect(forecastHeuristic(makeInput('funding_carry', { funding_rate: 0.0001 })).pUp).toBeCloseTo(0.5, 10);
  });

  it.each(ids)('%s says 0.5 with zero expected return on a market doing nothing', (id) => {
    // Doing nothing, for funding carry, is funding at its neutral 0.01%/8h (fixtures default to 0).
    const f = forecastHeuristic(makeInput(id, id === 'funding_carry' ? { funding_rate: 0.0001 } : {}));
    expect(f.pUp).toBeCloseTo(0.5, 10);
    expect(f.expectedReturn).toBeCloseTo(0, 10);
  });

  it('momentum: rising returns and EMA slope lift pUp above 0.5, falling ones push it below', () => {
    expect(forecastHeuristic(makeInput('momentum', BULL_TREND)).pUp).toBeGreaterThan(0.55);
    expect(forecastHeuristic(makeInput('momentum', BEAR_TREND)).pUp).toBeLessThan(0.45);
  });

  it('mean_reversion: overbought and stretched above EMA21 lowers pUp; oversold raises it', () => {
    expect(forecastHeuristic(makeInput('mean_reversion', { rsi_14: 80, close: 51_500 })).pUp).toBeLessThan(0.45);
    expect(forecastHeuristic(makeInput('mean_reversion', { rsi_14: 20, close: 48_500 })).pUp).toBeGreaterThan(0.55);
  });

  it('breakout: a move beyond the sigma threshold in a breakout regime raises pUp; a move inside it does nothing', () => {
    const up = forecastHeuristic(
      makeInput('breakout', { ret_6: 0.05 }, { trend: { regime: 'breakout_up', strength: 0.8, direction: 'up' } }),
    );
    const down = forecastHeuristic(
      makeInput('breakout', { ret_6: -0.05 }, { trend: { regime: 'breakout_down', strength: 0.8, direction: 'down' } }),
    );
    // 0.01 over 6 bars at 0.8% per bar vol is 0.51 sigma: below the 1-sigma threshold.
    const inside = forecastHeuristic(makeInput('breakout', { ret_6: 0.01 }));
    expect(up.pUp).toBeGreaterThan(0.6);
    expect(down.pUp).toBeLessThan(0.4);
    expect(inside.pUp).toBeCloseTo(0.5, 10);
  });

  it('breakout: a close at the top of a Donchian channel counts as an upside break', () => {
    const edge = forecastHeuristic(makeInput('breakout', { donchian_high_20: 50_000, donchian_low_20: 47_000 }));
    expect(edge.pUp).toBeGreaterThan(0.5);
  });

  it('logistic: bullish features give pUp > 0.5 from the prior weights alone', () => {
    expect(forecastHeuristic(makeInput('logistic', BULL_TREND)).pUp).toBeGreaterThan(0.55);
    expect(forecastHeuristic(makeInput('logistic', BEAR_TREND)).pUp).toBeLessThan(0.45);
  });

  it('logistic: a history of confident calls that all went down lowers the next pUp (SGD learned a negative bias)', () => {
    const history: ScoredForecast[] = Array.from({ length: 60 }, (_, i) => ({
      p: 0.6,
      pRaw: 0.6,
      outcome: 0,
      barCloseMs: BAR_CLOSE_MS - (60 - i) * BAR_MS,
    }));
    const prior = forecastHeuristic(makeInput('logistic', BULL_TREND));
    const learned = forecastHeuristic(makeInput('logistic', BULL_TREND, { history }));
    expect(learned.pUp).toBeLessThan(prior.pUp);
    expect(learned.rationale).toContain('learned bias');
    expect(forecastHeuristic(makeInput('logistic', BULL_TREND, { history }))).toEqual(learned);
  });

  it('logistic: with fewer matured forecasts than minHistory the prior answers', () => {
    const history: ScoredForecast[] = Array.from({ length: 5 }, () => ({
      p: 0.6,
      pRaw: 0.6,
      outcome: 0,
      barCloseMs: 0,
    }));
    expect(forecastHeuristic(makeInput('logistic', BULL_TREND, { history })).pUp).toBe(
      forecastHeuristic(makeInput('logistic', BULL_TREND)).pUp,
    );
  });

  it('llm_narrative: the offline blend follows the trend, and bullish headlines raise pUp', () => {
    const trend = { regime: 'trend_up' as const, direction: 'up' as const, strength: 0.7 };
    const plain = forecastHeuristic(makeInput('llm_narrative', BULL_TREND, { trend }));
    const news = forecastHeuristic(
      makeInput('llm_narrative', BULL_TREND, {
        trend,
        headlines: ['Bitcoin ETF inflow hits record high as prices surge'],
      }),
    );
    const bad = forecastHeuristic(
      makeInput('llm_narrative', BULL_TREND, {
        trend,
        headlines: ['Exchange hack triggers crash and liquidation cascade'],
      }),
    );
    expect(plain.pUp).toBeGreaterThan(0.5);
    expect(news.pUp).toBeGreaterThan(plain.pUp);
    expect(bad.pUp).toBeLessThan(plain.pUp);
  });

  it('every method returns a schema-valid forecast, expected return signed like pUp − 0.5, on random features', () => {
    const rng = makeRng(42);
    for (let i = 0; i < 40; i++) {
      const values = {
        ret_6: (rng() - 0.5) * 0.2,
        ret_30: (rng() - 0.5) * 0.4,
        rsi_14: rng() * 100,
        ema_21: 45_000 + rng() * 10_000,
        funding_rate: (rng() - 0.5) * 0.002,
      };
      for (const id of ids) {
        const f = forecastHeuristic(makeInput(id, values));
        expect(ForecastSchema.safeParse(f).success).toBe(true);
        expect(f.pUp).toBeGreaterThanOrEqual(0);
        expect(f.pUp).toBeLessThanOrEqual(1);
        expect(Math.sign(f.expectedReturn)).toBe(Math.sign(f.pUp - 0.5));
        expect(f.provenance.source).toBe('heuristic');
        expect(f.barCloseMs).toBe(BAR_CLOSE_MS);
      }
    }
  });

  it('missing (warm-up) features do not break a method and are named in the rationale', () => {
    const f = forecastHeuristic(makeInput('momentum', { ret_30: null, ema_50: null }));
    expect(ForecastSchema.safeParse(f).success).toBe(true);
    expect(f.rationale).toContain('Missing');
  });

  it('params override the defaults (a longer horizon widens the expected return)', () => {
    const short = forecastHeuristic(makeInput('momentum', BULL_TREND, { params: { horizonBars: 2 } }));
    const long = forecastHeuristic(makeInput('momentum', BULL_TREND, { params: { horizonBars: 24 } }));
    expect(long.horizonBars).toBe(24);
    expect(long.expectedReturn).toBeGreaterThan(short.expectedReturn);
  });

  it('throws UnknownMethodError for an id outside the inventory', () => {
    expect(() => forecastHeuristic(makeInput('astrology'))).toThrow(UnknownMethodError);
  });
});

describe('forecastFromLlm', () => {
  it('keeps the model answer and the caller provenance under the agent and bar of the input', () => {
    const prov = { source: 'llm' as const, hash: 'abc', model: 'm', warning: null, usage: ZERO_USAGE };
    const f = forecastFromLlm(
      { pUp: 0.61, expectedReturn: 0.003, horizonBars: 6, rationale: 'x' },
      makeInput('llm_narrative'),
      prov,
    );
    expect(ForecastSchema.parse(f)).toMatchObject({
      agentId: 'r1',
      method: 'llm_narrative',
      pUp: 0.61,
      provenance: { hash: 'abc' },
    });
  });
});
