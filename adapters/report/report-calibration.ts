import type { ForecastCoverage } from '../../domain/metrics/forecast-coverage';
import type { CalibrationBin } from './report-charts';
import { escapeHtml, formatMetric } from './report-format';

export type { ForecastCoverage } from '../../domain/metrics/forecast-coverage';

/** "200 of 730 matured forecasts (newest kept) · 3 pending", or the plotted count alone when coverage is unknown. */
export function describeCoverage(plotted: number, coverage: ForecastCoverage | undefined): string {
  const n = (x: number): string => formatMetric(x, 'int');
  if (!coverage) return `${n(plotted)} forecasts`;
  const pending = coverage.issued - coverage.matured;
  const newest = plotted < coverage.matured ? ', newest kept' : '';
  return `${n(plotted)} of ${n(coverage.matured)} matured forecasts${newest} · ${n(pending)} pending`;
}

/** One reliability diagram per researcher, each saying how many forecasts it covers out of how many. */
export function renderCalibrationFigures(
  calibration: Record<string, CalibrationBin[]>,
  coverage: Record<string, ForecastCoverage> = {},
): string {
  const names = Object.keys(calibration);
  if (names.length === 0) return '<p class="empty">No matured forecasts yet.</p>';
  return `<div class="calib">${names
    .map((name, i) => {
      const plotted = (calibration[name] ?? []).reduce((a, b) => a + b.n, 0);
      return `<figure><figcaption>${escapeHtml(name)} <small>${escapeHtml(describeCoverage(plotted, coverage[name]))}</small></figcaption><div class="chart" id="chart-calibration-${i}"></div></figure>`;
    })
    .join('')}</div>`;
}
