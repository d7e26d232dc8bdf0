import { buildForecastPrompt, FORECAST_SCHEMA_HINT } from '../../../domain/research/forecast-prompt';
import { LlmForecastSchema } from '../../../domain/schemas/llm-outputs';
import { type ForecastInput } from '../../../domain/schemas/steps';
import { BAR_CLOSE_MS, BAR_MS, CTX, makeAnalysis, RESEARCHER } from './fixtures';

function makeInput(): ForecastInput {
  // A forecast scored after the bar close (a replayed or corrupt record) must not reach the prompt.
  const history = [
    { p: 0.6, pRaw: 0.62, outcome: 1 as const, barCloseMs: BAR_CLOSE_MS - 10 * BAR_MS },
    { p: 0.7654321, pRaw: 0.777777, outcome: 0 as const, barCloseMs: BAR_CLOSE_MS + 5 * BAR_MS },
  ];
  return {
    ctx: CTX,
    agent: { ...RESEARCHER, notes: ['Respect funding extremes'] },
    method: { id: 'llm_narrative', params: {} },
    analysis: makeAnalysis({ ret_6: 0.02 }, { regime: 'trend_up', direction: 'up', strength: 0.6 }, [
      'SEC approves spot ETF',
    ]),
    history,
  };
}

describe('buildForecastPrompt', () => {
  it('returns the schema hint, which names every field of LlmForecastSchema, and repeats it in the user message', () => {
    const prompt = buildForecastPrompt(makeInput());
    expect(prompt.schemaHint).toBe(FORECAST_SCHEMA_HINT);
    for (const key of Object.keys(LlmForecastSchema.shape)) expect(prompt.schemaHint).toContain(`"${key}"`);
    expect(prompt.user).toContain(JSON.stringify(FORECAST_SCHEMA_HINT));
  });

  it('carries the features, trend, headlines, track record and peer lessons of the input', () => {
    const { system, user } = buildForecastPrompt(makeInput());
    const body = JSON.parse(user) as Record<string, unknown>;
    expect(body.headlines).toEqual(['SEC approves spot ETF']);
    expect(body.consensusTrend).toMatchObject({ regime: 'trend_up', direction: 'up' });
    expect(body.features).toMatchObject({ ret_6: 0.02, close: 50_000 });
    expect(body.yourTrackRecord).toEqual({ n: 1, brier: 0.16, hitRate: 1 });
    expect(system).toContain('Respect funding extremes');
    expect(system).toContain('llm_narrative');
  });

  it('contains no future data: no pending forecast and no timestamp after the bar close', () => {
    const { system, user } = buildForecastPrompt(makeInput());
    const text = system + user;
    for (const leak of ['0.777777', '0.7654321', String(BAR_CLOSE_MS + 5 * BAR_MS)]) expect(text).not.toContain(leak);
    const isoTimes = text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g) ?? [];
    expect(isoTimes.length).toBeGreaterThan(0);
    for (const iso of isoTimes) expect(Date.parse(iso)).toBeLessThanOrEqual(BAR_CLOSE_MS);
  });

  it('is deterministic: the same input gives the same prompt (prompt cache hits)', () => {
    expect(buildForecastPrompt(makeInput())).toEqual(buildForecastPrompt(makeInput()));
  });
});
