import { classifySign, escapeHtml, formatMetric, type MetricFormat } from './report-format';
import { BASELINE_LABELS, METRIC_ROWS, labelField } from './report-labels';

type Column = { title: string; values: Record<string, unknown> };

const SIGNED = new Set(['total_return', 'annualised_return', 'sharpe', 'sortino', 'calmar', 'avg_r', 'funding']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A distribution over seeds ({mean, p05, p50, p95}) becomes two columns: its median and its 95th percentile. */
function isDistributionSummary(values: Record<string, unknown>): boolean {
  return Object.values(values).some((v) => isRecord(v) && typeof v['p50'] === 'number');
}

/** One percentile of every distribution; the matched exposure (a mean over seeds) is shown once, beside the median. */
function pickPercentile(values: Record<string, unknown>, q: 'p50' | 'p95'): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, isRecord(v) ? v[q] : k === 'exposure' && q === 'p50' ? v : undefined]),
  );
}

/** Baselines walk the strategy's own bars by construction; their mark count (bars + opening mark) would read as a mismatch. */
function dropBarCount(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'bars'));
}

/** Strategy, then one column per baseline; a seeded baseline shows its median and 95th percentile across seeds. */
export function buildMetricColumns(summary: Record<string, unknown>): Column[] {
  const baselines = isRecord(summary['baselines']) ? Object.entries(summary['baselines']) : [];
  const columns: Column[] = [{ title: 'Strategy', values: summary }];
  for (const [key, raw] of baselines) {
    if (!isRecord(raw)) continue;
    const title = BASELINE_LABELS[key] ?? labelField(key);
    if (!isDistributionSummary(raw)) {
      columns.push({ title, values: dropBarCount(raw) });
      continue;
    }
    const runs = typeof raw['runs'] === 'number' ? `, ${raw['runs']} seeds` : '';
    columns.push(
      { title: `${title}: median${runs}`, values: pickPercentile(raw, 'p50') },
      { title: `${title}: 95th percentile`, values: pickPercentile(raw, 'p95') },
    );
  }
  return columns;
}

function renderCell(value: unknown, key: string, format: MetricFormat): string {
  const cls = SIGNED.has(key) ? classifySign(value) : '';
  return `<td class="num ${cls}">${escapeHtml(formatMetric(value, format))}</td>`;
}

/** Headline metrics with human labels; with `summary.baselines`, the baselines beside the strategy. */
export function renderMetricsTable(summary: Record<string, unknown>): string {
  const columns = buildMetricColumns(summary);
  const known = new Set(METRIC_ROWS.map(([k]) => k));
  const extras = Object.keys(summary)
    .filter((k) => !known.has(k) && typeof summary[k] === 'number')
    .map((k): [string, string, MetricFormat] => [k, labelField(k), 'plain']);
  const rows = [...METRIC_ROWS, ...extras].filter(([key]) => columns.some((c) => c.values[key] !== undefined));
  const head = `<tr><th>Metric</th>${columns.map((c) => `<th class="num">${escapeHtml(c.title)}</th>`).join('')}</tr>`;
  const body = rows.map(
    ([key, label, format]) =>
      `<tr><th scope="row">${escapeHtml(label)}</th>${columns.map((c) => renderCell(c.values[key], key, format)).join('')}</tr>`,
  );
  return `<div class="table-wrap"><table class="metrics"><thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>`;
}
