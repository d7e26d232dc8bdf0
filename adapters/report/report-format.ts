/** Formatting and escaping for the HTML report. Everything user-derived goes through escapeHtml. */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for an HTML text node or a quoted attribute (headlines and reasons may contain markup). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Serialise data for a `<script type="application/json">` block: `<`, `>` and `&` become
 * unicode escapes so no string inside can close the script element (OWASP XSS prevention, rule 3.1).
 */
export function serialiseJsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** How a metric is shown. */
export const METRIC_FORMAT = { pct: 'pct', ratio: 'ratio', money: 'money', int: 'int', plain: 'plain' } as const;
export type MetricFormat = (typeof METRIC_FORMAT)[keyof typeof METRIC_FORMAT];

const EM_DASH = '—';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Format a number as a percentage with a sign only where it matters (returns). */
export function formatPct(value: unknown, digits = 2): string {
  return isNumber(value) ? `${(value * 100).toFixed(digits)}%` : EM_DASH;
}

/** Format a value for a metrics table cell. Non-numbers are shown escaped-as-text by the caller. */
export function formatMetric(value: unknown, format: MetricFormat): string {
  if (value === null || value === undefined) return EM_DASH;
  if (!isNumber(value)) return typeof value === 'object' ? EM_DASH : String(value);
  switch (format) {
    case 'pct':
      return formatPct(value);
    case 'ratio':
      return value.toFixed(2);
    case 'money':
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'int':
      return Math.round(value).toLocaleString('en-US');
    case 'plain':
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toPrecision(6).replace(/\.?0+$/, '');
  }
}

/** CSS class for a signed number: green up, red down. */
export function classifySign(value: unknown): string {
  if (!isNumber(value) || value === 0) return '';
  return value > 0 ? 'pos' : 'neg';
}

/**
 * Background for a monthly-return cell: green or red with opacity growing with |ret|,
 * saturating at 20 % a month so one outlier does not wash out the rest of the grid.
 */
export function shadeReturn(ret: number): string {
  const alpha = Math.min(1, Math.abs(ret) / 0.2) * 0.55 + 0.08;
  return ret >= 0 ? `rgba(22, 163, 74, ${alpha.toFixed(3)})` : `rgba(220, 38, 38, ${alpha.toFixed(3)})`;
}
