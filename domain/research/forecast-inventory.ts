import { type MethodDefinition } from '../methods/method-definition';

/**
 * R-A inventory. Every method maps features to a score s and reports pUp = sigmoid(gain · s), so
 * `gain` sets how far from 0.5 a method dares to go; `pMax` caps it (no 4h forecast is near-certain).
 */
export const FORECAST_METHODS: readonly MethodDefinition[] = [
  {
    id: 'momentum',
    description: 'Extrapolates recent returns (6 and 30 bars, in vol units) and the EMA21−EMA50 slope (in ATRs).',
    params: { wShort: 0.4, wLong: 0.3, wEma: 0.3, gain: 0.35, pMax: 0.8, horizonBars: 6 },
    tags: ['trend_up', 'trend_down'],
  },
  {
    id: 'mean_reversion',
    description: 'Fades stretched prices: RSI14 distance from 50 and the z-score of close vs EMA21 in ATRs.',
    params: { wRsi: 0.5, wZ: 0.5, gain: 0.35, pMax: 0.75, horizonBars: 3 },
    tags: ['range'],
  },
  {
    id: 'breakout',
    description:
      'Volatility breakout (6-bar move beyond `threshold` sigmas), Donchian channel position when present, and breakout regimes.',
    params: { threshold: 1, wVol: 0.6, wRegime: 0.6, wChannel: 0.5, gain: 0.5, pMax: 0.8, horizonBars: 6 },
    tags: ['breakout_up', 'breakout_down', 'high_vol'],
  },
  {
    id: 'tsmom',
    description:
      'Time-series momentum (Moskowitz, Ooi & Pedersen 2012, J. Financial Economics 104(2); in bitcoin at 1–4 weeks: Liu & Tsyvinski 2021, Rev. Financial Studies 34(6)): the vol-scaled 14- and 30-day returns, held about two days.',
    params: { w84: 0.5, w180: 0.5, gain: 0.35, pMax: 0.75, horizonBars: 12 },
    tags: ['trend_up', 'trend_down'],
  },
  {
    id: 'funding_carry',
    description:
      'Funding carry (Koijen, Moskowitz, Pedersen & Vrugt 2018, "Carry", J. Financial Economics 127(2); perpetual funding: He, Manela, Ross & von Wachter 2022): lean against the side paying funding above the 0.01%/8h neutral rate.',
    params: { wFunding: 0.4, gain: 0.35, pMax: 0.7, horizonBars: 6 },
    tags: ['range'],
  },
  {
    id: 'logistic',
    description:
      "Logistic model on standardised features (prior weights in params); bias and gain learned by deterministic SGD on the agent's matured forecasts.",
    params: {
      wRet6: 0.25,
      wRet30: 0.2,
      wEma: 0.25,
      wRsi: -0.1,
      wFunding: -0.1,
      bias: 0,
      minHistory: 30,
      epochs: 20,
      learningRate: 0.05,
      l2: 0.02,
      pMax: 0.8,
      horizonBars: 6,
    },
    tags: [],
  },
  {
    id: 'llm_narrative',
    description:
      'The LLM reads features, trend calls and headlines; offline it blends the other methods by regime plus a headline tone.',
    params: { newsWeight: 0.15, pMax: 0.8, horizonBars: 6 },
    tags: [],
  },
];
