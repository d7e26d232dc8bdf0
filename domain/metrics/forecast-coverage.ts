import type { Populations } from '../schemas/agents';
import type { LearningState } from '../schemas/learning';

/** How many of a researcher's forecasts a calibration plot covers. */
export interface ForecastCoverage {
  /** Matured forecasts in the plot (the Evaluator keeps only the newest ones). */
  plotted: number;
  /** Forecasts whose horizon has passed: issued − pending. */
  matured: number;
  /** Forecasts issued: one per R-A method use. */
  issued: number;
}

/**
 * Per researcher: forecasts issued (every R-A method use is one forecast), matured (issued minus those still
 * pending) and plotted (the bounded matured history the reliability diagram is drawn from).
 */
export function countForecastCoverage(
  populations: Populations,
  learning: LearningState,
): Record<string, ForecastCoverage> {
  return Object.fromEntries(
    populations.researcher.map((agent) => {
      const issued = (agent.inventory['R-A'] ?? []).reduce((n, m) => n + m.uses, 0);
      const pending = learning.pendingForecasts.filter((f) => f.agentId === agent.id).length;
      return [
        agent.id,
        { plotted: learning.forecastHistory[agent.id]?.length ?? 0, matured: issued - pending, issued },
      ];
    }),
  );
}
