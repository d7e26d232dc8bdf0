/**
 * The in-page script that draws the charts with uPlot from the embedded JSON.
 * Plain ES2017 in a string (not compiled TypeScript), so no bundler helpers leak into the page.
 * Times are shown in UTC, like the rest of the project.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('report-data').textContent);
  var C = { strategy: '#2563eb', hold: '#94a3b8', dd: '#dc2626', price: '#334155', long: '#16a34a', short: '#dc2626', exit: '#64748b', liq: '#f59e0b', ideal: '#94a3b8', obs: '#7c3aed', teach: '#1e40af', prune: '#be185d', restore: '#15803d' };
  var charts = [];
  var grid = { stroke: '#eef2f7', width: 1 };
  var ticks = { stroke: '#e2e8f0', width: 1 };
  function utc(ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); }
  function fmtMoney(v) { return v == null ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: 2 }); }
  function fmtPct(v) { return v == null ? '–' : v.toFixed(2) + '%'; }
  function moneyAxis(u, vals) { return vals.map(function (v) { return v == null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: 0 }); }); }
  function pctAxis(u, vals) { return vals.map(function (v) { return v == null ? '' : v.toFixed(0) + '%'; }); }
  function probAxis(u, vals) { return vals.map(function (v) { return v == null ? '' : Math.round(v * 100) + '%'; }); }
  function axis(extra) { var a = { stroke: '#64748b', grid: grid, ticks: ticks, font: '11px system-ui, sans-serif' }; for (var k in extra) a[k] = extra[k]; return a; }
  // Points-only series: no path, markers at trade times. Exits are hollow so they read apart from entries.
  function markers(label, color, size, hollow) {
    var pts = hollow ? { show: true, size: size, stroke: color, width: 2, fill: '#ffffff' } : { show: true, size: size, stroke: '#ffffff', width: 1, fill: color };
    return { label: label, stroke: color, fill: hollow ? '#ffffff' : color, width: hollow ? 2 : 0, paths: function () { return null; }, points: pts, value: function (u, v) { return fmtMoney(v); } };
  }
  function make(id, opts, data) {
    var el = document.getElementById(id);
    if (!el) return;
    opts.width = Math.max(260, el.clientWidth);
    charts.push({ u: new uPlot(opts, data, el), el: el });
  }
  var sync = { key: 'report-time' };

  make('chart-equity', {
    height: 300, tzDate: utc, cursor: { sync: sync },
    series: [{}, { label: 'Strategy', stroke: C.strategy, width: 2, fill: 'rgba(37,99,235,0.06)', spanGaps: true, value: function (u, v) { return fmtMoney(v); } },
      { label: 'Buy & hold', stroke: C.hold, width: 1.5, dash: [6, 4], spanGaps: true, value: function (u, v) { return fmtMoney(v); } }],
    axes: [axis({}), axis({ values: moneyAxis, size: 70 })],
  }, payload.equity.data);

  make('chart-drawdown', {
    height: 170, tzDate: utc, cursor: { sync: sync },
    scales: { y: { range: function (u, min) { return [Math.min(min, -1), 0]; } } },
    series: [{}, { label: 'Drawdown', stroke: C.dd, width: 1.5, fill: 'rgba(220,38,38,0.12)', value: function (u, v) { return fmtPct(v); } }],
    axes: [axis({}), axis({ values: pctAxis, size: 70 })],
  }, payload.drawdown.data);

  make('chart-price', {
    height: 320, tzDate: utc, cursor: { sync: sync },
    series: [{}, { label: 'BTC close', stroke: C.price, width: 1.25, spanGaps: true, value: function (u, v) { return fmtMoney(v); } },
      markers('Long entry', C.long, 9), markers('Short entry', C.short, 9), markers('Exit', C.exit, 8, true), markers('Liquidation', C.liq, 12)],
    axes: [axis({}), axis({ values: moneyAxis, size: 70 })],
  }, payload.price.data);

  payload.calibration.forEach(function (c, i) {
    make('chart-calibration-' + i, {
      height: 260, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      series: [{ label: 'Forecast p', value: function (u, v) { return v == null ? '–' : (v * 100).toFixed(1) + '%'; } },
        { label: 'Perfect', stroke: C.ideal, width: 1, dash: [4, 4], points: { show: false }, value: function (u, v) { return v == null ? '–' : (v * 100).toFixed(1) + '%'; } },
        { label: 'Observed', stroke: C.obs, width: 2, spanGaps: true, points: { show: true, size: 7, fill: C.obs }, value: function (u, v) { return v == null ? '–' : (v * 100).toFixed(1) + '%'; } }],
      axes: [axis({ values: probAxis, label: 'forecast probability', labelSize: 18, labelFont: '11px system-ui, sans-serif' }), axis({ values: probAxis, size: 46, label: 'observed frequency', labelSize: 18, labelFont: '11px system-ui, sans-serif' })],
    }, c.data);
  });

  // Cumulative teach / prune / restore counts by round: when the population learned, not row by row.
  var learning = payload.learning.data;
  if (learning[0].length > 0) {
    var cumulative = [learning[0]].concat(learning.slice(1).map(function (col) { var s = 0; return col.map(function (n) { s += n; return s; }); }));
    var steps = uPlot.paths.stepped({ align: 1 });
    var countSeries = function (label, color) { return { label: label, stroke: color, width: 2, paths: steps, points: { show: false }, value: function (u, v) { return v == null ? '–' : String(v); } }; };
    make('chart-learning', {
      height: 180, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      series: [{ label: 'Round', value: function (u, v) { return v == null ? '–' : 'round ' + v; } }, countSeries('Teach (cumulative)', C.teach), countSeries('Prune (cumulative)', C.prune), countSeries('Restore (cumulative)', C.restore)],
      axes: [axis({ label: 'round', labelSize: 18, labelFont: '11px system-ui, sans-serif' }), axis({ size: 50 })],
    }, cumulative);
  }

  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.u.setSize({ width: Math.max(260, c.el.clientWidth), height: c.u.height }); });
  });
  document.documentElement.setAttribute('data-charts-rendered', String(charts.length));
})();
`;
