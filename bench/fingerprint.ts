/**
 * `tsx bench/fingerprint.ts [FROM] [TO]`: a fast backtest's decisions (final equity, every order,
 * every closed trade) as one hash, so a performance change can prove it changed no decision.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildActivityDeps } from '../workers/build-deps';
import { runFastBacktest } from '../workers/fast-runner';
import { buildSessionConfig, csvFeed } from '../workers/session-config';

const DATA = resolve(__dirname, '../../shared/data');

async function main(): Promise<void> {
  const from = process.argv[2] ?? '2023-01-01';
  const to = process.argv[3] ?? '2023-12-31';
  const feed = csvFeed(`${DATA}/candles/binance_usdm_btcusdt_perp_4h_resampled_from_1h.csv`, {
    funding: `${DATA}/funding/binance_usdm_btcusdt_funding_8h.csv`,
  });
  const config = await buildSessionConfig({
    mode: 'backtest',
    feed,
    seed: 7,
    fromMs: Date.parse(from),
    toMs: Date.parse(to),
    sessionId: 'session-fingerprint',
  });
  const dir = mkdtempSync(resolve(tmpdir(), 'fingerprint-'));
  try {
    const deps = buildActivityDeps({ dataDir: dir, env: { LLM_PROVIDER: 'heuristic' }, inMemory: true });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { state, reports } = await runFastBacktest(config, deps);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    if (process.env.FINGERPRINT_DUMP)
      writeFileSync(process.env.FINGERPRINT_DUMP, JSON.stringify({ state, reports }, null, 1));
    const orders = reports.flatMap((r) => (r.order ? [r.order] : []));
    const trades = reports.flatMap((r) => r.closedTrades);
    const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
    console.log(
      JSON.stringify({
        bars: reports.length,
        seconds: +seconds.toFixed(2),
        bars_per_s: +(reports.length / seconds).toFixed(0),
        cpu_s: +cpuSeconds.toFixed(2),
        bars_per_cpu_s: +(reports.length / cpuSeconds).toFixed(0),
        final_equity: reports.at(-1)?.equity,
        wallet: state.account.wallet,
        n_orders: orders.length,
        n_trades: trades.length,
        orders_hash: digest(orders),
        trades_hash: digest(trades),
        reports_hash: digest(reports),
        state_hash: digest({ ...state, usage: null }),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
