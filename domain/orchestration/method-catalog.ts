import { FEATURE_METHODS } from '../analyst/feature-methods';
import { TREND_METHODS } from '../analyst/trend-methods';
import type { MethodCatalog } from '../population/catalog';
import { CALIBRATION_METHODS } from '../research/calibration-methods';
import { FORECAST_METHODS } from '../research/forecast-methods';
import { UNCERTAINTY_METHODS } from '../research/uncertainty-methods';
import { RISK_METHODS } from '../risk/risk-methods';
import { STYLE_METHODS } from '../trader/styles';

type Described = { id: string; params: Readonly<Record<string, number>>; tags: readonly string[] };
const entries = (methods: readonly Described[]) =>
  methods.map((m) => ({ id: m.id, params: { ...m.params }, tags: [...m.tags] }));

/**
 * R-A methods that ask the shared LLM (the others are pure quant methods): only these need the LLM
 * queue, so the orchestration schedules the rest as a pure step (`R-A.forecastQuant`).
 */
export const LLM_FORECAST_METHODS: ReadonlySet<string> = new Set(['llm_narrative']);

/** Every (M) step's method inventory: what a new agent starts with, and the library pruned methods return to. */
export const METHOD_CATALOG: MethodCatalog = {
  'A-B': entries(FEATURE_METHODS),
  'A-C': entries(TREND_METHODS),
  'R-A': entries(FORECAST_METHODS),
  'R-B': entries(UNCERTAINTY_METHODS),
  'R-C': entries(CALIBRATION_METHODS),
  'T-A': entries(STYLE_METHODS),
  'M-A': entries(RISK_METHODS),
};
