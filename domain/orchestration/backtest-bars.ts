import type { SessionConfig } from '../schemas/config';

/** Bar closes a backtest walks: fromMs..toMs on the bar grid, the same list for the fast runner and the session workflow. */
export function listBacktestBars(config: Pick<SessionConfig, 'fromMs' | 'toMs' | 'barMs'>): number[] {
  if (config.fromMs === null || config.toMs === null) throw new Error('a backtest session needs fromMs and toMs');
  const bars: number[] = [];
  for (let t = config.fromMs; t <= config.toMs; t += config.barMs) bars.push(t);
  return bars;
}
