import { escapeHtml } from './report-format';

/** summary.json's memorised_period_warning, or null when the run's model could not have remembered its bars. */
export function memorisedWarningOf(summary: Record<string, unknown>): string | null {
  const warning = summary['memorised_period_warning'];
  return typeof warning === 'string' && warning !== '' ? warning : null;
}

/** The banner a run over bars before its LLM's training cutoff carries in the header, every section and the footer. */
export function renderMemorisedBanner(warning: string): string {
  return `<div class="memorised-warning" role="alert"><strong>May reflect memory.</strong> ${escapeHtml(warning)}</div>`;
}

/** Puts the banner at the top of every section of the rendered HTML, so no section can be read (or printed) without it. */
export function bannerEverySection(html: string, warning: string | null): string {
  if (warning === null) return html;
  const banner = renderMemorisedBanner(warning);
  return html.replace(/<section\b[^>]*>/g, (open) => `${open}${banner}`);
}
