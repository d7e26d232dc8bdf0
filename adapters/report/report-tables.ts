import type { ClosedTrade } from '../../domain/schemas/account';
import { formatIsoUtc } from '../../domain/metrics/civil-time';
import type { MonthlyReturn } from '../../domain/metrics/performance';
import { classifySign, escapeHtml, formatMetric, formatPct, shadeReturn, type MetricFormat } from './report-format';

/** An agent row of the leaderboard (summary.json `agents`). */
export interface ReportAgent { id: string; role: string; score: number; methods: { id: string; uses: number; score: number }[] }

/** Metrics shown first, in this order, with their format; other numeric summary fields follow. */
const KNOWN_METRICS: readonly [key: string, label: string, format: MetricFormat][] = [
  ['total_return', 'Total return', 'pct'], ['annualised_return', 'Annualised return', 'pct'],
  ['sharpe', 'Sharpe', 'ratio'], ['sortino', 'Sortino', 'ratio'], ['calmar', 'Calmar', 'ratio'],
  ['max_drawdown', 'Max drawdown', 'pct'], ['max_drawdown_duration_bars', 'Max DD duration (bars)', 'int'],
  ['volatility', 'Volatility (ann.)', 'pct'], ['win_rate', 'Win rate', 'pct'], ['profit_factor', 'Profit factor', 'ratio'],
  ['avg_r', 'Average R', 'ratio'], ['exposure', 'Exposure', 'pct'], ['n_trades', 'Trades', 'int'],
  ['initial_equity', 'Initial equity', 'money'], ['final_equity', 'Final equity', 'money'], ['fees', 'Fees paid', 'money'],
  ['funding', 'Funding received', 'money'], ['liquidations', 'Liquidations', 'int'], ['llm_calls', 'LLM calls', 'int'],
  ['llm_tokens', 'LLM tokens', 'int'], ['bars', 'Bars', 'int'],
];
const SIGNED = new Set(['total_return', 'annualised_return', 'sharpe', 'sortino', 'calmar', 'avg_r', 'funding', 'final_equity']);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const ROLE_ORDER = ['analyst', 'researcher', 'trader', 'risk_manager'];

function renderCell(value: unknown, key: string, format: MetricFormat): string {
  const cls = SIGNED.has(key) && key !== 'final_equity' ? classifySign(value) : '';
  return `<td class="num ${cls}">${escapeHtml(formatMetric(value, format))}</td>`;
}

/** Headline metrics; with `summary.baselines`, one column per baseline beside the strategy. */
export function renderMetricsTable(summary: Record<string, unknown>): string {
  const rawBaselines = summary['baselines'];
  const baselines = rawBaselines && typeof rawBaselines === 'object' ? Object.entries(rawBaselines as Record<string, Record<string, unknown>>) : [];
  const columns: [string, Record<string, unknown>][] = [['Strategy', summary], ...baselines];
  const known = new Set(KNOWN_METRICS.map(([k]) => k));
  const extras = Object.keys(summary).filter((k) => !known.has(k) && typeof summary[k] === 'number').map((k): [string, string, MetricFormat] => [k, k.replace(/_/g, ' '), 'plain']);
  const rows = [...KNOWN_METRICS, ...extras].filter(([key]) => columns.some(([, c]) => c[key] !== undefined));
  const head = `<tr><th>Metric</th>${columns.map(([name]) => `<th class="num">${escapeHtml(name.replace(/_/g, ' '))}</th>`).join('')}</tr>`;
  const body = rows.map(([key, label, format]) => `<tr><th scope="row">${escapeHtml(label)}</th>${columns.map(([, c]) => renderCell(c[key], key, format)).join('')}</tr>`);
  return `<table class="metrics"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

/** Year × month grid of returns, shaded by sign and size, with the compounded year in the last column. */
export function renderMonthlyTable(months: readonly MonthlyReturn[]): string {
  if (months.length === 0) return '<p class="empty">No returns yet.</p>';
  const byYear = new Map<string, Map<number, number>>();
  for (const { month, ret } of months) {
    const [year = '', mm = '1'] = month.split('-');
    const row = byYear.get(year) ?? new Map<number, number>();
    row.set(Number(mm) - 1, ret);
    byYear.set(year, row);
  }
  const head = `<tr><th>Year</th>${MONTHS.map((m) => `<th class="num">${m}</th>`).join('')}<th class="num">Total</th></tr>`;
  const body = [...byYear.entries()].map(([year, row]) => {
    const cells = MONTHS.map((_, i) => {
      const ret = row.get(i);
      return ret === undefined ? '<td class="num blank"></td>' : `<td class="num cell" style="background:${shadeReturn(ret)}">${formatPct(ret, 1)}</td>`;
    });
    const yearRet = [...row.values()].reduce((a, r) => a * (1 + r), 1) - 1;
    return `<tr><th scope="row">${escapeHtml(year)}</th>${cells.join('')}<td class="num cell year" style="background:${shadeReturn(yearRet)}">${formatPct(yearRet, 1)}</td></tr>`;
  });
  return `<table class="monthly"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

/** Agents by role then score, each with its methods by score. */
export function renderAgentsTable(agents: readonly ReportAgent[]): string {
  if (agents.length === 0) return '<p class="empty">No agents recorded.</p>';
  const rank = (role: string): number => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  const sorted = [...agents].sort((a, b) => rank(a.role) - rank(b.role) || a.role.localeCompare(b.role) || b.score - a.score);
  const rows = sorted.map((a) => {
    const methods = [...a.methods].sort((x, y) => y.score - x.score).map((m) => `<span class="chip" title="uses ${escapeHtml(m.uses)}, score ${escapeHtml(m.score.toFixed(3))}">${escapeHtml(m.id)} <b>${escapeHtml(m.score.toFixed(2))}</b> <i>×${escapeHtml(m.uses)}</i></span>`);
    return `<tr><td><span class="role role-${escapeHtml(a.role)}">${escapeHtml(a.role.replace('_', ' '))}</span></td><td class="mono">${escapeHtml(a.id)}</td><td class="num">${escapeHtml(a.score.toFixed(3))}</td><td>${methods.join(' ')}</td></tr>`;
  });
  return `<table class="agents"><thead><tr><th>Role</th><th>Agent</th><th class="num">Score</th><th>Methods (score ×uses)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Counts of risk verdicts with their share. */
export function renderVerdictsTable(verdicts: Record<string, number>): string {
  const entries = Object.entries(verdicts);
  const total = entries.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return '<p class="empty">No risk reviews.</p>';
  const rows = entries.map(([v, n]) => `<tr><td><span class="verdict verdict-${escapeHtml(v)}">${escapeHtml(v.replace('_', ' '))}</span></td><td class="num">${n}</td><td class="num">${formatPct(n / total, 1)}</td></tr>`);
  return `<table class="verdicts"><thead><tr><th>Verdict</th><th class="num">Count</th><th class="num">Share</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function describeEventDetails(event: Record<string, unknown>): string {
  return Object.entries(event)
    .filter(([k]) => !['round', 'type', 'role', 'agent'].includes(k))
    .map(([k, v]) => `<span class="kv"><b>${escapeHtml(k)}</b> ${escapeHtml(typeof v === 'object' ? JSON.stringify(v) : v)}</span>`)
    .join(' ');
}

/** Teach / prune events in round order. */
export function renderEventsTable(events: readonly unknown[]): string {
  const rows = events.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
  if (rows.length === 0) return '<p class="empty">No teaching or pruning events.</p>';
  const body = rows.map((e) => `<tr><td class="num">${escapeHtml(e['round'])}</td><td><span class="event event-${escapeHtml(e['type'])}">${escapeHtml(e['type'])}</span></td><td>${escapeHtml(e['role'] ?? '')}</td><td class="mono">${escapeHtml(e['agent'] ?? '')}</td><td>${describeEventDetails(e)}</td></tr>`);
  return `<table class="events"><thead><tr><th class="num">Round</th><th>Type</th><th>Role</th><th>Agent</th><th>Details</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** Every closed trade with its net PnL and R multiple. */
export function renderTradesTable(trades: readonly ClosedTrade[]): string {
  if (trades.length === 0) return '<p class="empty">No closed trades.</p>';
  const money = (n: number): string => formatMetric(n, 'money');
  const rows = trades.map((t) => {
    const net = t.realizedPnl - t.fees + t.funding;
    const r = t.riskAmount > 0 ? (net / t.riskAmount).toFixed(2) : '—';
    return `<tr><td class="mono">${escapeHtml(t.tradeId)}</td><td><span class="side side-${t.side}">${t.side}</span></td><td class="mono">${formatIsoUtc(t.entryTimeMs).slice(0, 16).replace('T', ' ')}</td><td class="num">${money(t.entryPrice)}</td><td class="mono">${formatIsoUtc(t.exitTimeMs).slice(0, 16).replace('T', ' ')}</td><td class="num">${money(t.exitPrice)}</td><td class="num">${escapeHtml(t.size)}</td><td class="num">${escapeHtml(t.leverage)}×</td><td>${escapeHtml(t.exitReason.replace(/_/g, ' '))}</td><td class="num ${classifySign(net)}">${money(net)}</td><td class="num ${classifySign(net)}">${r}</td></tr>`;
  });
  return `<table class="trades"><thead><tr><th>Trade</th><th>Side</th><th>Entry (UTC)</th><th class="num">Entry</th><th>Exit (UTC)</th><th class="num">Exit</th><th class="num">Size</th><th class="num">Lev.</th><th>Reason</th><th class="num">Net PnL</th><th class="num">R</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
