/**
 * `npm run sweep -- --data FILE [--funding FILE] --windows FROM/TO[,FROM/TO…] [--seeds 7,8] [--arms JSON|FILE]
 *  [--no-worker] [--out DIR]`: a backtest sweep on Temporal. One child workflow per (window, seed, arm), each a
 * fast-runner backtest as one heartbeating activity on any worker's research queue (`npm run worker` on more
 * machines adds cores); results are gathered in the parent and written to DIR/sweep.json.
 * --arms: `{"name": {config overrides}, …}`, e.g. '{"vote":{},"leader":{"decisionRule":"leader"}}' (default: one arm `base`).
 * --no-worker: start no worker in this process; the fleet's `npm run worker` processes run everything.
 * --allow-memorised-period: run an LLM over windows before its training cutoff (docs/llm-cutoffs.md); checked
 * against this process's LLM settings, which the fleet's workers must share.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseArmsObject, planSweepRuns, summarizeArms } from '../domain/orchestration/sweep-plan';
import { SweepWindowSchema } from '../domain/schemas/sweep';
import { loadLlmConfig } from '../adapters/llm/config';
import { buildActivityDeps } from '../workers/build-deps';
import { ALLOW_MEMORISED_FLAG, checkLlmCutoff, memorisedMetadata } from '../workers/llm-cutoff-gate';
import { connectClient, connectWorker, ensureSearchAttributes } from '../workers/client';
import { DEFAULT_TASK_QUEUE, dataDir, loadEnv, temporalEnv } from '../workers/env';
import { csvFeed } from '../workers/session-config';
import { createDeskWorkers, installRuntimeLogger, runDeskWorkers } from '../workers/worker';
import { ensureDetachedServer } from './detached-server';
import { backtestSweepWorkflow } from '../workflows/sweep';

async function main(): Promise<void> {
  installRuntimeLogger();
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      funding: { type: 'string' },
      windows: { type: 'string' },
      seeds: { type: 'string', default: '7' },
      arms: { type: 'string' },
      'no-worker': { type: 'boolean', default: false },
      out: { type: 'string', default: 'out/sweep' },
      [ALLOW_MEMORISED_FLAG]: { type: 'boolean', default: false },
    },
  });
  if (!values.data) throw new Error('--data FILE is required (a 4h candle CSV)');
  if (!values.windows)
    throw new Error('--windows FROM/TO[,FROM/TO…] is required, e.g. 2023-01-01/2023-04-01,2023-04-01/2023-07-01');
  const windows = values.windows.split(',').map((w, i) => {
    const [from, to] = w.split('/');
    const parsed = SweepWindowSchema.safeParse({ fromMs: Date.parse(from ?? ''), toMs: Date.parse(to ?? '') });
    if (!parsed.success)
      throw new Error(`--windows entry ${i + 1} "${w}" is not FROM/TO with ISO dates, FROM before TO`);
    return parsed.data;
  });
  const seeds = values.seeds.split(',').map((s) => {
    if (!/^-?\d+$/.test(s.trim())) throw new Error(`--seeds: "${s}" is not an integer`);
    return Number(s);
  });
  const arms = parseArms(values.arms);
  const runs = planSweepRuns(windows, seeds, arms);
  const env = loadEnv();
  // Before the server and workers start: an LLM that may remember a window is refused, or the sweep carries the warning.
  const llmCutoff = checkLlmCutoff({
    llm: loadLlmConfig(env),
    windows,
    allowMemorisedPeriod: values[ALLOW_MEMORISED_FLAG],
  });
  if (llmCutoff.memorised_period_warning) console.warn(`warning: ${llmCutoff.memorised_period_warning}`);
  const tenv = temporalEnv(env);
  if (tenv.address.startsWith('localhost:7233') || tenv.address.startsWith('127.0.0.1:7233'))
    await ensureDetachedServer();
  const client = await connectClient(tenv);
  await ensureSearchAttributes(client);
  const stop = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let connection: Awaited<ReturnType<typeof connectWorker>> | null = null;
  if (!values['no-worker']) {
    connection = await connectWorker(tenv);
    const workers = await createDeskWorkers({
      connection,
      namespace: tenv.namespace,
      taskQueue: DEFAULT_TASK_QUEUE,
      deps: buildActivityDeps({ dataDir: dataDir(env), env, client }),
    });
    running = runDeskWorkers(workers, stop.signal);
  }
  const sweepId = `sweep-${Date.now().toString(36)}`;
  const feed = csvFeed(values.data, { funding: values.funding });
  console.log(
    `${sweepId}: ${runs.length} runs (${windows.length} windows × ${seeds.length} seeds × ${arms.length} arms) on task queue ${DEFAULT_TASK_QUEUE}-research`,
  );
  const started = Date.now();
  const result = await client.workflow.execute(backtestSweepWorkflow, {
    workflowId: sweepId,
    taskQueue: DEFAULT_TASK_QUEUE,
    args: [{ sweepId, feed, runs }],
    memo: { ...llmCutoff },
    ...memorisedMetadata(llmCutoff),
  });
  const seconds = (Date.now() - started) / 1000;
  for (const r of result.runs)
    console.log(
      `${r.id}: return ${(r.total_return * 100).toFixed(2)}% sharpe ${r.sharpe.toFixed(2)} trades ${r.n_trades}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''} on ${r.worker}`,
    );
  const byArm = summarizeArms(result.runs);
  await mkdir(values.out, { recursive: true });
  await writeFile(
    resolve(values.out, 'sweep.json'),
    JSON.stringify({ sweep: sweepId, seconds, ...llmCutoff, by_arm: byArm, runs: result.runs }, null, 2),
  );
  console.log(`${runs.length} runs in ${seconds.toFixed(1)} s; wrote ${values.out}/sweep.json`);
  stop.abort();
  await running;
  await connection?.close();
  await client.connection.close();
}

function parseArms(text: string | undefined) {
  if (!text) return [{ name: 'base', overrides: {} }];
  const json = existsSync(text) ? readFileSync(text, 'utf8') : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`--arms is neither a JSON object nor a file holding one (${String(err)})`);
  }
  return parseArmsObject(raw, '--arms');
}

main().catch((err) => {
  console.error(`sweep failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
