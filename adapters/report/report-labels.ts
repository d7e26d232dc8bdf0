import type { MetricFormat } from './report-format';

/** summary.json fields shown in the metrics table, in this order: [field, human label, format]. */
export const METRIC_ROWS: readonly [key: string, label: string, format: MetricFormat][] = [
  ['total_return', 'Total return', 'pct'],
  ['annualised_return', 'Annualised return', 'pct'],
  ['sharpe', 'Sharpe ratio (ann.)', 'ratio'],
  ['sortino', 'Sortino ratio (ann.)', 'ratio'],
  ['calmar', 'Calmar ratio', 'ratio'],
  ['max_drawdown', 'Max drawdown', 'pct'],
  ['max_drawdown_duration_bars', 'Longest drawdown (bars)', 'int'],
  ['volatility', 'Volatility (ann.)', 'pct'],
  ['win_rate', 'Win rate', 'pct'],
  ['profit_factor', 'Profit factor', 'ratio'],
  ['avg_r', 'Average R multiple', 'ratio'],
  ['exposure', 'Exposure (share of bars in a position)', 'pct'],
  ['n_trades', 'Closed trades', 'int'],
  ['initial_equity', 'Initial equity (USDT)', 'money'],
  ['final_equity', 'Final equity (USDT)', 'money'],
  ['fees', 'Fees paid (USDT)', 'money'],
  ['funding', 'Funding received (USDT)', 'money'],
  ['liquidations', 'Liquidations', 'int'],
  ['bars', 'Bars traded', 'int'],
  ['llm_calls', 'LLM calls', 'int'],
  ['llm_cached_calls', 'LLM calls answered from cache', 'int'],
  ['llm_tokens', 'LLM tokens', 'int'],
  ['llm_cost_usd', 'LLM cost (USD)', 'money'],
  ['seconds', 'Run time (s)', 'ratio'],
];

/** Column titles of the baselines (summary.json `baselines` keys). */
export const BASELINE_LABELS: Record<string, string> = {
  buy_and_hold: 'Buy & hold (1x)',
  ema_crossover: 'EMA 21/55 crossover',
  rsi_mean_reversion: 'RSI(14) mean reversion',
  random_entries: 'Random entries',
};

/** Roles as people say them. */
export const ROLE_LABELS: Record<string, string> = {
  analyst: 'Analyst',
  researcher: 'Researcher',
  trader: 'Trader',
  risk_manager: 'Risk manager',
};

/** A label for any snake_case field nobody listed: words, first letter capitalised, known acronyms upper case. */
export function labelField(key: string, known: Record<string, string> = {}): string {
  const label = known[key];
  if (label !== undefined) return label;
  const words = key.split('_').map((w) => (['llm', 'usd', 'r', 'pnl', 'id'].includes(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
