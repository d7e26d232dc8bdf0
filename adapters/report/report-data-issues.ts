import type { DataIssueReport } from '../../domain/schemas/data-issues';
import { escapeHtml } from './report-format';

/** Rows shown in the report; summary.json keeps them all. */
const MAX_ROWS = 200;

/** The data-issues section of report.html: what was wrong with the input and what the desk did about it. */
export function renderDataIssuesSection(issues: readonly DataIssueReport[] | undefined): string {
  const list = issues ?? [];
  if (list.length === 0)
    return '<section><h2>Data issues</h2><p class="empty">None: no gaps, stale bars or suspicious values in the input.</p></section>';
  const where = (i: DataIssueReport): string =>
    [i.file, i.row !== undefined ? `line ${i.row}` : undefined].filter((x) => x !== undefined).join(', ');
  const rows = list
    .slice(0, MAX_ROWS)
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.kind)}</td><td>${escapeHtml(i.time ?? '')}</td><td>${escapeHtml(where(i))}</td><td>${escapeHtml(i.message)}</td></tr>`,
    );
  const more =
    list.length > MAX_ROWS ? `<p>${list.length - MAX_ROWS} more in summary.json <code>data_issues</code>.</p>` : '';
  return `<section id="data-issues"><h2>Data issues <small>${list.length}</small></h2><table class="data-issues"><thead><tr><th>Kind</th><th>Time (UTC)</th><th>Where</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}</section>`;
}
