/**
 * `npm start [-- --max-iterations N --feed replay|synthetic|live --data FILE --bar-seconds S --session ID --fresh
 *  --venue ID --symbol SYMBOL --live [--real-money] --approve-above NOTIONAL --approval-timeout 15m
 *  --allow-memorised-period]`: the main job.
 * Starts the Temporal dev server if none runs, the desk's workers, a paper-trading session and
 * its Schedule, then prints one line per iteration until N iterations (or Ctrl-C).
 */
import type { Client } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { buildActivityDeps } from '../workers/build-deps';
import { connectClient, ensureSearchAttributes, connectWorker, scheduleIdFor, sessionIdFor } from '../workers/client';
import { DEFAULT_TASK_QUEUE, dataDir, loadEnv, temporalEnv } from '../workers/env';
import { checkFeedCoverage } from '../adapters/market/check-feed-coverage';
import { CsvMarketData } from '../adapters/market/csv-market-data';
import { openMarketData } from '../adapters/market/market-data';
import { parseIntegerFlag } from '../workers/cli-args';
import { readMarketSettings } from '../workers/market-settings';
import { formatDataIssues, keepIssuesUpTo } from '../workers/format-data-issues';
import { buildSessionConfig, csvFeed } from '../workers/session-config';
import { createDefaultFeed, describeFeed, SYNTHETIC_DEMO_FEED } from '../workers/default-feed';
import { formatIterationLine, type IterationLineOptions } from '../workers/iteration-line';
import { resolveMarketPrecision } from '../workers/console-precision';
import { upsertSchedule } from '../workers/schedule';
import { describeDeployment, deskVersionFor, formatVersion, setCurrentVersion } from '../workers/deployment';
import { createDeskWorkers, installRuntimeLogger, runDeskWorkers } from '../workers/worker';
import { MAX_APPROVAL_TIMEOUT_MS, type SessionConfig } from '../domain/schemas/config';
import type { SessionState } from '../domain/schemas/session';
import type { SessionStatus } from '../domain/orchestration/status';
import { stateQuery, statusQuery } from '../workflows/messages';
import { createHaltPrinter } from '../workers/halt-printer';
import { createFailureWatcher, formatFailure } from '../workers/iteration-failures';
import { ensureDetachedServer } from './detached-server';
import { tradingSessionWorkflow } from '../workflows/session';
import { parseDuration } from '../domain/orchestration/approval';
import { createApprovalPrinter } from '../workers/approvals';
import { ALLOW_MEMORISED_FLAG, checkLlmCutoff, MemorisedPeriodError } from '../workers/llm-cutoff-gate';
import { loadLlmConfig } from '../adapters/llm/config';

async function main(): Promise<void> {
  installRuntimeLogger();
  const { values } = parseArgs({
    options: {
      'max-iterations': { type: 'string' },
      feed: { type: 'string', default: 'replay' },
      data: { type: 'string' },
      funding: { type: 'string' },
      news: { type: 'string', multiple: true },
      'bar-seconds': { type: 'string', default: '10' },
      session: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      venue: { type: 'string' },
      symbol: { type: 'string' },
      live: { type: 'boolean', default: false },
      'real-money': { type: 'boolean', default: false },
      'approve-above': { type: 'string' },
      'approval-timeout': { type: 'string' },
      [ALLOW_MEMORISED_FLAG]: { type: 'boolean', default: false },
    },
  });
  if (!['replay', 'synthetic', 'live'].includes(values.feed!))
    throw new Error(`--feed is replay, synthetic or live, got '${values.feed}'`);
  const approval = approvalFlags(values['approve-above'], values['approval-timeout']);
  const env = loadEnv();
  const tenv = temporalEnv(env);
  if (tenv.address.startsWith('localhost:7233') || tenv.address.startsWith('127.0.0.1:7233'))
    await ensureDetachedServer();
  const maxIterations = values['max-iterations']
    ? parseIntegerFlag('--max-iterations', values['max-iterations'], 1)
    : null;
  const barSeconds = Number(values['bar-seconds']);
  if (!(barSeconds > 0)) throw new Error('--bar-seconds must be a positive number');
  const { venue, symbol } = readMarketSettings(env, values);
  // The default replays the real BTC year shipped in data/; the synthetic series only when asked for.
  const feed =
    values.feed === 'live'
      ? ({ kind: 'live', exchangeId: venue, symbol } as const)
      : values.feed === 'synthetic'
        ? SYNTHETIC_DEMO_FEED
        : values.data
          ? csvFeed(values.data, { funding: values.funding, news: values.news })
          : createDefaultFeed();
  // Paper is the default; venue orders need --live (demo/testnet) and, for real money, --real-money too.
  const mode = values.live ? 'live' : 'paper';
  if (values.live && values.feed !== 'live') throw new Error('--live trades on the venue: use it with --feed live');
  const sessionId =
    values.session ?? (values.fresh ? `${sessionIdFor(venue, symbol, mode)}-${Date.now().toString(36)}` : undefined);
  const config = await buildSessionConfig({
    mode,
    feed,
    maxIterations,
    venue,
    symbol,
    approval,
    ...(sessionId ? { sessionId } : {}),
  });
  // A replayed file gets the backtest's checks before anything starts: units, coverage, gaps, absurd rows;
  // and, like a backtest, an LLM that may remember those bars is refused without --allow-memorised-period.
  if (feed.kind === 'csv' && config.fromMs !== null && config.toMs !== null) {
    const cutoff = checkLlmCutoff({
      llm: loadLlmConfig(env),
      windows: [{ fromMs: config.fromMs, toMs: config.toMs }],
      allowMemorisedPeriod: values[ALLOW_MEMORISED_FLAG],
    });
    if (cutoff.memorised_period_warning) console.warn(`warning: ${cutoff.memorised_period_warning}`);
    const market = openMarketData(feed);
    const loaderIssues =
      market instanceof CsvMarketData ? keepIssuesUpTo(await market.reportIssues(), config.toMs) : [];
    for (const line of formatDataIssues([
      ...loaderIssues,
      ...(await checkFeedCoverage(feed, market, config.fromMs, config.toMs)),
    ]))
      console.warn(line);
  }

  const client = await connectClient(tenv);
  await ensureSearchAttributes(client);
  const connection = await connectWorker(tenv);
  // Versioned workers (docs/deploys.md): the main job makes its own build current, so new code is a rollout.
  const version = deskVersionFor({}, env);
  const workers = await createDeskWorkers({
    version,
    connection,
    namespace: tenv.namespace,
    taskQueue: DEFAULT_TASK_QUEUE,
    deps: buildActivityDeps({
      dataDir: dataDir(env),
      env,
      client,
      live: { live: values.live, realMoney: values['real-money'], costs: config.costs, venue, symbol },
    }),
  });
  const stop = new AbortController();
  const running = runDeskWorkers(workers, stop.signal);
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  if (version) {
    const previous = (await describeDeployment(client, version.deploymentName))?.currentBuildId ?? null;
    await setCurrentVersion(client, version);
    if (previous !== version.buildId)
      console.log(
        `build ${formatVersion(version)} is current${previous ? ` (was ${previous}; npm run deploy -- list shows it drain)` : ''}`,
      );
  }

  const scheduleId = scheduleIdFor(config.sessionId);
  const handle = await startOrContinue(client, config, scheduleId, maxIterations);
  await upsertSchedule(client, {
    scheduleId,
    sessionId: config.sessionId,
    taskQueue: DEFAULT_TASK_QUEUE,
    barSeconds: feed.kind === 'live' ? null : barSeconds,
  });
  const ui = `http://localhost:8233/namespaces/${tenv.namespace}/workflows/${encodeURIComponent(config.sessionId)}`;
  console.log(
    `session ${config.sessionId} on ${describeFeed(feed)}${feed.kind === 'live' ? '' : `, one bar every ${barSeconds}s`}; UI ${ui}`,
  );

  const lineOptions: IterationLineOptions = {
    precision: await resolveMarketPrecision(feed),
    synthetic: feed.kind === 'synthetic',
  };
  await watch(client, config.sessionId, maxIterations, stop.signal, (s) =>
    formatIterationLine(s, config.barMs, lineOptions),
  );
  const final = await handle.query(statusQuery).catch(() => null);
  if (final)
    console.log(
      `done: ${final.iterations} iterations, equity ${final.equity.toFixed(2)}, halted=${final.halted}; npm run status for details`,
    );
  if (!(await isRunning(client, config.sessionId)))
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  else
    await client.schedule
      .getHandle(scheduleId)
      .pause('main job ended; npm start resumes')
      .catch(() => undefined);
  stop.abort();
  await running;
  await client.connection.close();
  await connection.close();
}

/**
 * The fund is durable: a running session is joined; a closed one is continued from its final state
 * (queried from its history), so bars are never traded twice under the same iteration ids.
 */
async function startOrContinue(
  client: Client,
  config: SessionConfig,
  scheduleId: string,
  maxIterations: number | null,
) {
  const existing = client.workflow.getHandle(config.sessionId);
  const described = await existing.describe().catch(() => null);
  if (described?.status.name === 'RUNNING') {
    console.log(`joining the running session ${config.sessionId}`);
    return existing;
  }
  let state: SessionState | undefined;
  if (described) {
    state = await existing.query(stateQuery).catch((err: unknown) => {
      throw new Error(
        `session ${config.sessionId} exists (${described.status.name}) but its state could not be read (${String(err)}); start a new fund with --fresh or --session NAME`,
      );
    });
    console.log(
      `continuing fund ${config.sessionId} from round ${state.round} (last bar ${state.lastBarCloseMs ? new Date(state.lastBarCloseMs).toISOString() : '-'})`,
    );
  }
  const continued: SessionConfig = {
    ...config,
    maxIterations: maxIterations === null ? null : (state?.round ?? 0) + maxIterations,
  };
  return client.workflow.start(tradingSessionWorkflow, {
    workflowId: config.sessionId,
    taskQueue: DEFAULT_TASK_QUEUE,
    args: [{ config: continued, ...(state ? { state: { ...state, config: continued } } : {}), scheduleId }],
    memo: { feed: config.feed.kind },
  });
}

async function isRunning(client: Client, id: string): Promise<boolean> {
  const d = await client.workflow
    .getHandle(id)
    .describe()
    .catch(() => null);
  return d?.status.name === 'RUNNING';
}

async function watch(
  client: Client,
  sessionId: string,
  maxIterations: number | null,
  signal: AbortSignal,
  formatLine: (s: SessionStatus) => string,
): Promise<void> {
  const handle = client.workflow.getHandle(sessionId);
  let seen = -1;
  let printed = 0;
  const printHalts = createHaltPrinter((line) => console.log(line), { skipExisting: true });
  const printApprovals = createApprovalPrinter(client, sessionId, (line) => console.log(line));
  const failures = createFailureWatcher(client, sessionId, Date.now());
  let nextFailurePoll = 0;
  let watchError = '';
  // Loud failures: every failed step attempt and failed iteration as it happens (visibility, no worker needed).
  const printFailures = async () => {
    nextFailurePoll = Date.now() + 1000;
    try {
      for (const f of await failures.poll()) console.log(formatFailure(f));
      watchError = '';
    } catch (err) {
      if (String(err) !== watchError) console.log(`cannot watch for iteration failures: ${(watchError = String(err))}`);
    }
  };
  while (!signal.aborted) {
    if (Date.now() >= nextFailurePoll) {
      await printFailures();
      await printApprovals();
    }
    const finished = !(await isRunning(client, sessionId));
    const s = await handle.query(statusQuery).catch(() => null);
    if (s) printHalts(s.halts);
    if (s && s.iterations !== seen) {
      if (seen >= 0) {
        printed += s.iterations - seen;
        console.log(formatLine(s));
      }
      seen = s.iterations;
      if (maxIterations !== null && printed >= maxIterations) return;
    }
    if (finished) return printFailures();
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** `--approve-above NOTIONAL --approval-timeout 15m` (docs/approval.md); the timeout alone is refused. */
function approvalFlags(above: string | undefined, timeout: string | undefined) {
  if (above === undefined) {
    if (timeout !== undefined) throw new Error('--approval-timeout needs --approve-above NOTIONAL');
    return undefined;
  }
  const aboveNotional = Number(above);
  if (!(aboveNotional > 0)) throw new Error(`--approve-above is a positive notional (e.g. 5000), got '${above}'`);
  if (timeout === undefined) return { aboveNotional };
  const timeoutMs = parseDuration(timeout);
  if (!(timeoutMs > 0 && timeoutMs <= MAX_APPROVAL_TIMEOUT_MS))
    throw new Error(
      `--approval-timeout is more than 0 and at most 3h (the next bar must not queue behind it), got '${timeout}'`,
    );
  return { aboveNotional, timeoutMs };
}

main().catch((err) => {
  // A refusal is the operator's to fix: its message says how; anything else keeps its stack.
  const refusal = err instanceof MemorisedPeriodError;
  console.error(`npm start failed: ${err instanceof Error ? (refusal ? err.message : err.stack) : String(err)}`);
  process.exit(1);
});
