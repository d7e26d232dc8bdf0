import type { DataIssueReport } from '../domain/schemas/data-issues';

/** Lines printed on the console; summary.json keeps every issue. */
const MAX_LINES = 20;

/** One console line per data issue: `data issue [gap] FILE, line N, 2023-03-10T00:00Z: message`. */
export function formatDataIssues(issues: readonly DataIssueReport[]): string[] {
  const lines = issues.slice(0, MAX_LINES).map((i) => {
    const where = [i.file, i.row !== undefined ? `line ${i.row}` : undefined, i.time]
      .filter((x) => x !== undefined)
      .join(', ');
    return `data issue [${i.kind}] ${where ? `${where}: ` : ''}${i.message}`;
  });
  if (issues.length > MAX_LINES)
    lines.push(`… ${issues.length - MAX_LINES} more data issue(s) in summary.json data_issues`);
  return lines;
}

/**
 * The issues a run may report: those up to its last bar. A loader checks the whole file, but a
 * run says nothing about bars after its window (later bars may be a holdout).
 */
export function keepIssuesUpTo(issues: readonly DataIssueReport[], toMs: number): DataIssueReport[] {
  return issues.filter((i) => i.time === undefined || Date.parse(i.time) <= toMs);
}
