import { renderDataIssuesSection } from '../../../adapters/report/report-data-issues';

describe('report.html data-issues section', () => {
  it('lists each issue with kind, time, file and line, escaping what the data says', () => {
    const html = renderDataIssuesSection([
      { file: '/d/candles.csv', time: '2023-03-10T00:00:00.000Z', kind: 'gap', message: '18 missing bar(s)' },
      { file: '/d/news.csv', row: 7, kind: 'headline_truncated', message: '<img src=x onerror=alert(1)>' },
    ]);
    expect(html).toContain('<h2>Data issues <small>2</small></h2>');
    expect(html).toContain(
      '<tr><td>gap</td><td>2023-03-10T00:00:00.000Z</td><td>/d/candles.csv</td><td>18 missing bar(s)</td></tr>',
    );
    expect(html).toContain('<td>/d/news.csv, line 7</td>');
    expect(html).not.toContain('<img');
  });

  it('says so when there is nothing to report', () => {
    expect(renderDataIssuesSection([])).toContain('None: no gaps, stale bars or suspicious values in the input.');
  });
});
