import { z } from 'zod';

/**
 * One problem found in the input data, as summary.json `data_issues`, the console and report.html
 * show it. `kind` is open (loaders and the ledger add their own): gap, stale, units, coverage,
 * absurd_price, headline_truncated, duplicate, nan, ... `row` is the 1-based line in `file`
 * (the header is line 1); `time` is the ISO UTC time the issue concerns.
 */
export const DataIssueReportSchema = z.object({
  file: z.string().optional(),
  row: z.number().int().positive().optional(),
  time: z.string().optional(),
  kind: z.string().min(1),
  message: z.string().min(1),
});
export type DataIssueReport = z.infer<typeof DataIssueReportSchema>;
