import {
  HARD_CAPS,
  RISK_KEYS,
  describeChange,
  nextBarFrom,
  parseAssignments,
  validateLlmChange,
  validateRiskChange,
} from '../../../domain/orchestration/live-changes';
import { RiskLimitsSchema, type RiskLimits } from '../../../domain/schemas/config';

const DEFAULTS: RiskLimits = RiskLimitsSchema.parse({});

function errorsOf(patch: unknown, current: RiskLimits = DEFAULTS): string[] {
  const r = validateRiskChange(current, patch);
  return r.ok ? [] : r.errors;
}

describe('validateRiskChange', () => {
  it('accepts a change within range and caps and returns the whole new limits', () => {
    const r = validateRiskChange(DEFAULTS, { maxLeverage: 3, minConfidence: 0.6 });
    expect(r).toEqual({ ok: true, value: { ...DEFAULTS, maxLeverage: 3, minConfidence: 0.6 } });
  });

  it('refuses unknown keys, naming them and the known ones', () => {
    const errors = errorsOf({ maxLeverage: 3, maxLev: 4 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('unknown risk limit "maxLev"');
    expect(errors[0]).toContain('maxLeverage');
  });

  it('refuses values outside the schema range, and non-numbers', () => {
    expect(errorsOf({ maxLeverage: 0.5 })[0]).toMatch(/^risk\.maxLeverage: .*\(got 0\.5\)$/);
    expect(errorsOf({ maxMarginUsage: 1.5 })[0]).toMatch(/^risk\.maxMarginUsage: /);
    expect(errorsOf({ minConfidence: 'high' })[0]).toMatch(/^risk\.minConfidence: .*\(got "high"\)$/);
    expect(errorsOf({ cooldownBars: 2.5 })[0]).toMatch(/^risk\.cooldownBars: /);
  });

  it('refuses loosening beyond a hard cap in either direction, and accepts the cap itself', () => {
    expect(errorsOf({ maxLeverage: 11 })[0]).toContain('risk.maxLeverage=11 is beyond the hard cap (at most 10)');
    expect(errorsOf({ minConfidence: 0.45 })[0]).toContain(
      'risk.minConfidence=0.45 is beyond the hard cap (at least 0.5)',
    );
    expect(errorsOf({ maxDrawdown: 0.5 })[0]).toContain('hard cap');
    expect(errorsOf({ maxLeverage: 10, minConfidence: 0.5, maxDrawdown: 0.35 })).toEqual([]);
  });

  it('lets a limit set beyond its cap at start be tightened, never loosened further', () => {
    const loose = { ...DEFAULTS, maxLeverage: 15 };
    expect(errorsOf({ maxLeverage: 12 }, loose)).toEqual([]);
    expect(errorsOf({ maxLeverage: 16 }, loose)[0]).toContain('hard cap');
  });

  it('refuses maxLeverage above hardMaxLeverage, whichever of the two the patch moves', () => {
    expect(errorsOf({ hardMaxLeverage: 4 })[0]).toContain('risk.maxLeverage=5 is above risk.hardMaxLeverage=4');
    expect(errorsOf({ maxLeverage: 8, hardMaxLeverage: 6 })[0]).toContain('above risk.hardMaxLeverage=6');
  });

  it('refuses an empty patch and anything but an object', () => {
    expect(errorsOf({})[0]).toContain('no risk limit given');
    expect(errorsOf(3)[0]).toContain('takes an object');
    expect(errorsOf([1])[0]).toContain('takes an object');
    expect(errorsOf(null)[0]).toContain('takes an object');
  });

  it('has a cap for every risk limit, and the defaults sit within every cap', () => {
    expect(Object.keys(HARD_CAPS).sort()).toEqual(Object.keys(DEFAULTS).sort());
    for (const key of RISK_KEYS) {
      const cap = HARD_CAPS[key];
      expect({ key, ok: cap.kind === 'max' ? DEFAULTS[key] <= cap.bound : DEFAULTS[key] >= cap.bound }).toEqual({
        key,
        ok: true,
      });
    }
  });
});

describe('validateLlmChange', () => {
  it('accepts a known provider with or without a model, and null for the worker default', () => {
    expect(validateLlmChange({ provider: 'openai', model: 'gpt-4o-mini' })).toEqual({
      ok: true,
      value: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(validateLlmChange({ provider: 'heuristic' })).toEqual({
      ok: true,
      value: { provider: 'heuristic', model: null },
    });
    expect(validateLlmChange(null)).toEqual({ ok: true, value: null });
  });

  it('refuses unknown providers, empty models, extra fields and anything that looks like a key', () => {
    const bad = (input: unknown) => {
      const r = validateLlmChange(input);
      return r.ok ? '' : r.errors.join('; ');
    };
    expect(bad({ provider: 'gemini', model: 'x' })).toContain(
      'unknown LLM provider "gemini" (known: heuristic, openai',
    );
    expect(bad({ provider: 'openai', model: '  ' })).toContain('llm.model');
    expect(bad({ provider: 'openai', model: 'gpt-4o', temperature: 1 })).toContain('temperature');
    expect(bad({ provider: 'openai', apiKey: 'sk-123' })).toContain('keys never travel in an update');
    expect(bad({ provider: 'openai', apiKey: 'sk-123' })).not.toContain('sk-123');
    expect(bad('openai')).toContain('setLlm takes');
  });
});

describe('parseAssignments', () => {
  it('reads risk limits as numbers and the LLM choice', () => {
    expect(
      parseAssignments(['risk.maxLeverage=3', 'risk.minConfidence=.55', 'llm.provider=openai', 'llm.model=gpt-4o']),
    ).toEqual({
      risk: { maxLeverage: 3, minConfidence: 0.55 },
      llm: { provider: 'openai', model: 'gpt-4o' },
      errors: [],
    });
    expect(parseAssignments(['llm=default'])).toEqual({ risk: null, llm: null, errors: [] });
    expect(parseAssignments(['risk.maxLeverage=3']).llm).toBeUndefined();
  });

  it('keeps non-numbers as strings for the validator to refuse', () => {
    expect(parseAssignments(['risk.maxLeverage=lots']).risk).toEqual({ maxLeverage: 'lots' });
  });

  it('names every malformed argument', () => {
    const { errors } = parseAssignments(['maxLeverage', 'foo.bar=1', 'risk.maxLeverage=', 'llm.model=x', 'llm=openai']);
    expect(errors).toEqual([
      '"maxLeverage" is not KEY=VALUE (e.g. risk.maxLeverage=3, llm.provider=openai)',
      'unknown setting "foo.bar" (risk.<limit>, llm.provider, llm.model or llm=default)',
      'risk.maxLeverage has no value',
      "llm=openai: only llm=default (the worker's env default) is allowed; else llm.provider=… llm.model=…",
      'llm.model needs llm.provider (e.g. llm.provider=openai)',
    ]);
    expect(parseAssignments(['risk.maxLeverage=3', 'risk.maxLeverage=4']).errors).toEqual([
      'risk.maxLeverage is given twice',
    ]);
    expect(parseAssignments([]).errors[0]).toContain('nothing to set');
  });
});

describe('describeChange', () => {
  it('lists each changed setting with its old and new value, and the bar it applies from', () => {
    const before = { risk: DEFAULTS, llm: null };
    const after = { risk: { ...DEFAULTS, maxLeverage: 3 }, llm: { provider: 'openai' as const, model: 'gpt-4o' } };
    expect(describeChange(before, after, Date.UTC(2024, 0, 2, 8))).toEqual({
      changed: [
        { key: 'risk.maxLeverage', from: 5, to: 3 },
        { key: 'llm.provider', from: null, to: 'openai' },
        { key: 'llm.model', from: null, to: 'gpt-4o' },
      ],
      fromBar: '2024-01-02T08:00:00.000Z',
      fromBarMs: Date.UTC(2024, 0, 2, 8),
    });
    expect(describeChange(before, before, null)).toEqual({ changed: [], fromBar: null, fromBarMs: null });
  });
});

describe('nextBarFrom', () => {
  const H4 = 4 * 3600_000;
  const base = { barMs: H4, fromMs: 10 * H4, live: false, nowMs: 0 };
  it('is the queued bar, else the bar after the one started, else the first bar', () => {
    expect(nextBarFrom({ ...base, lastStartedMs: 12 * H4, pending: [13 * H4] })).toBe(13 * H4);
    expect(nextBarFrom({ ...base, lastStartedMs: 12 * H4, pending: [] })).toBe(13 * H4);
    expect(nextBarFrom({ ...base, lastStartedMs: null, pending: [] })).toBe(10 * H4);
    expect(nextBarFrom({ ...base, fromMs: null, lastStartedMs: null, pending: [] })).toBeNull();
  });
  it('live: the latest close at now unless it has started, then the one after', () => {
    const live = { ...base, live: true, nowMs: 20 * H4 + 60_000 };
    expect(nextBarFrom({ ...live, lastStartedMs: 15 * H4, pending: [] })).toBe(20 * H4);
    expect(nextBarFrom({ ...live, lastStartedMs: 20 * H4, pending: [] })).toBe(21 * H4);
  });
});
