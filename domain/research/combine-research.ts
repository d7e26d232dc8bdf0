import { type ResearchReport } from '../schemas/research';
import { ResearchCombineError } from './errors';
import { clamp } from './math';
import { truncateText } from './method-params';

type Action = ResearchReport['Recommendation']['action'];

function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let s = 0;
  let w = 0;
  values.forEach((v, i) => {
    const wi = weights[i] ?? 0;
    s += v * wi;
    w += wi;
  });
  return w > 0 ? s / w : 0;
}

/**
 * Confidence-weighted consensus of several researchers' reports (decision rule 'vote'). Each report
 * votes for its action with weight w_i · Confidence_i; the action with the largest total wins (ties
 * → flat). The net edge is the w-weighted mean over the reports on the winning side. Numbers are w-weighted means; constraints take the strictest; signals and drivers are pooled.
 * @throws ResearchCombineError when no reports are given or the weights do not match them.
 */
export function combineResearch(reports: ResearchReport[], weights: number[]): ResearchReport {
  const first = reports[0];
  if (first === undefined) throw new ResearchCombineError('combineResearch needs at least one report');
  if (weights.length !== reports.length)
    throw new ResearchCombineError(`got ${reports.length} reports but ${weights.length} weights`);
  const raw = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  // All-zero weights (e.g. unscored agents) mean "no preference", not "no vote".
  const w = raw.some((x) => x > 0) ? raw : raw.map(() => 1);
  const tally: Record<Action, number> = { long: 0, short: 0, flat: 0 };
  reports.forEach((r, i) => {
    tally[r.Recommendation.action] += (w[i] ?? 0) * r.Confidence;
  });
  const ranked = (Object.entries(tally) as [Action, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const action: Action = best === undefined || (second !== undefined && best[1] === second[1]) ? 'flat' : best[0];
  const mean = (pick: (r: ResearchReport) => number): number => weightedMean(reports.map(pick), w);
  const pCal = clamp(
    mean((r) => r.Forecast.pUpCalibrated),
    0,
    1,
  );
  const confidence = action === 'long' ? pCal : action === 'short' ? 1 - pCal : Math.max(pCal, 1 - pCal);
  const scenarios = first.Scenarios.map((s) => {
    const same = reports.map((r) => r.Scenarios.find((x) => x.name === s.name) ?? s);
    return {
      name: s.name,
      probability: clamp(
        weightedMean(
          same.map((x) => x.probability),
          w,
        ),
        0,
        1,
      ),
      priceTarget: weightedMean(
        same.map((x) => x.priceTarget),
        w,
      ),
    };
  });
  const methods: Record<string, string> = {};
  reports.forEach((r) => {
    for (const [step, id] of Object.entries(r.Meta.methods)) methods[`${r.Meta.agentId}.${step}`] = id;
  });
  // The consensus edge is that of the reports on the consensus side (weighted); none → no edge to trade.
  const sameSide = reports
    .map((r, i) => ({ r, wi: w[i] ?? 0 }))
    .filter((x) => x.r.Recommendation.action === action && x.r.Recommendation.netEdge !== undefined);
  const sideWeight = sameSide.reduce((sum, x) => sum + x.wi, 0);
  const netEdge =
    action !== 'flat' && sideWeight > 0
      ? sameSide.reduce((sum, x) => sum + x.wi * (x.r.Recommendation.netEdge ?? 0), 0) / sideWeight
      : undefined;
  const tallyText = ranked.map(([a, v]) => `${a} ${v.toFixed(2)}`).join(', ');
  return {
    Meta: {
      agentId: `consensus(${reports.map((r) => r.Meta.agentId).join(',')})`,
      barCloseMs: first.Meta.barCloseMs,
      symbol: first.Meta.symbol,
      methods,
    },
    Market_State: first.Market_State,
    Forecast: {
      pUp: clamp(
        mean((r) => r.Forecast.pUp),
        0,
        1,
      ),
      pUpCalibrated: pCal,
      expectedReturn: mean((r) => r.Forecast.expectedReturn),
      horizonBars: Math.max(1, Math.round(mean((r) => r.Forecast.horizonBars))),
    },
    Signals: reports.flatMap((r) => r.Signals.map((s) => ({ ...s, name: `${r.Meta.agentId}:${s.name}` }))),
    Risk: {
      volPerBar: mean((r) => r.Risk.volPerBar),
      annualVol: mean((r) => r.Risk.annualVol),
      var95: mean((r) => r.Risk.var95),
      cvar95: mean((r) => r.Risk.cvar95),
      atr: mean((r) => r.Risk.atr),
      stopDistance: mean((r) => r.Risk.stopDistance),
    },
    Recommendation: { action, conviction: clamp(confidence, 0, 1), ...(netEdge !== undefined && { netEdge }) },
    Scenarios: scenarios,
    Explainability: {
      summary: truncateText(
        `consensus of ${reports.length} researchers, confidence-weighted votes: ${tallyText} → ${action}`,
      ),
      drivers: [...new Set(reports.flatMap((r) => r.Explainability.drivers))].slice(0, 8),
    },
    Constraints: {
      maxLeverage: Math.min(...reports.map((r) => r.Constraints.maxLeverage)),
      minConfidence: Math.max(...reports.map((r) => r.Constraints.minConfidence)),
    },
    Confidence: clamp(confidence, 0, 1),
    Post_trade_evaluation_keys: [...new Set(reports.flatMap((r) => r.Post_trade_evaluation_keys))],
  };
}
