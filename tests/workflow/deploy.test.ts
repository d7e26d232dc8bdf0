import type { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { iterationIdFor } from '../../domain/orchestration/run-iteration';
import type { DeskVersion } from '../../domain/deployment/version';
import type { SessionConfig } from '../../domain/schemas/config';
import { buildSessionConfig } from '../../workers/session-config';
import { describeDeployment, setCurrentVersion } from '../../workers/deployment';
import { createDeskWorkers } from '../../workers/worker';
import { tradingSessionWorkflow, type SessionResult } from '../../workflows/session';
import { eventually, startTestTemporal, testDeps, workflowBundle, type TestTemporal } from '../helpers/temporal';
import { spawnWorkerProcess, type WorkerProcess } from '../../workers/worker-process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** `npm run deploy -- <args>` as the operator runs it: exit code and both streams. */
function deployCli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/deploy.ts', ...args],
      { cwd: ROOT },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    ),
  );
}

const FEED = { kind: 'synthetic', seed: 5, startMs: Date.UTC(2024, 0, 1), bars: 400 } as const;
const BARS = 5;
/** The step held on build A in the second bar: an LLM-queue activity (3 min timeout), so the hold outlasts B's start. */
const HELD = 'T-A.chooseStyle';

type Acts = Record<string, (...args: unknown[]) => Promise<unknown>>;
interface Ran {
  build: string;
  type: string;
  barCloseMs: number;
}

function barOf(args: unknown[]): number {
  return (args[0] as { ctx?: { barCloseMs?: number } } | undefined)?.ctx?.barCloseMs ?? -1;
}

/** Every activity records which build ran it; `hold` parks the held step of one bar until released. */
function instrument(
  build: string,
  ran: Ran[],
  hold?: { barCloseMs: number; entered: () => void; gate: Promise<void> },
) {
  return (acts: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(acts as Acts).map(([type, fn]) => [
        type,
        async (...args: unknown[]) => {
          const barCloseMs = barOf(args);
          if (hold && type === HELD && barCloseMs === hold.barCloseMs) {
            hold.entered();
            await hold.gate;
          }
          ran.push({ build, type, barCloseMs });
          return fn(...args);
        },
      ]),
    );
}

/** The build id on each completed workflow task of a run, in order (history's WorkflowTaskCompleted events). */
async function taskBuilds(t: TestTemporal, workflowId: string): Promise<string[]> {
  const { events } = await t.client.workflow.getHandle(workflowId).fetchHistory();
  return (events ?? []).flatMap((e) => {
    const done = e.workflowTaskCompletedEventAttributes;
    return done ? [done.deploymentVersion?.buildId ?? '(unversioned)'] : [];
  });
}

async function versioningOf(t: TestTemporal, workflowId: string) {
  const d = await t.client.workflow.getHandle(workflowId).describe();
  const v = d.raw.workflowExecutionInfo?.versioningInfo as temporal.api.workflow.v1.IWorkflowExecutionVersioningInfo;
  return { buildId: v?.deploymentVersion?.buildId ?? null, behavior: v?.behavior ?? null };
}

describe('safe deploys with Worker Versioning on a real Temporal dev server', () => {
  let t: TestTemporal;
  const running: { workers: Worker[]; done: Promise<unknown> }[] = [];
  beforeAll(async () => {
    t = await startTestTemporal();
  });
  afterAll(async () => {
    for (const r of running) r.workers.forEach((w) => w.shutdown());
    await Promise.all(running.map((r) => r.done.catch(() => undefined)));
    await t?.close();
  });

  async function startBuild(version: DeskVersion, taskQueue: string, wrap: ReturnType<typeof instrument>) {
    const workers = await createDeskWorkers({
      connection: t.connection,
      taskQueue,
      deps: testDeps(),
      workflowBundle: await workflowBundle(),
      version,
      wrapActivities: wrap,
    });
    running.push({ workers, done: Promise.all(workers.map((w) => w.run())) });
  }

  it('the iteration in flight when build B becomes current finishes on build A; the next bars and the session run on B', async () => {
    const deploymentName = `desk-test-${Date.now()}`;
    const taskQueue = `deploy-${Date.now()}`;
    const A: DeskVersion = { deploymentName, buildId: '0.1.0-aaaaaaa' };
    const B: DeskVersion = { deploymentName, buildId: '0.1.0-bbbbbbb' };
    const ran: Ran[] = [];
    const config: SessionConfig = await buildSessionConfig({
      sessionId: `deploy-session-${Date.now()}`,
      mode: 'backtest',
      feed: FEED,
      knowledgeTransferEvery: 2,
    });
    const heldBar = config.fromMs! + config.barMs;
    let entered!: () => void;
    const heldEntered = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));

    await startBuild(A, taskQueue, instrument(A.buildId, ran, { barCloseMs: heldBar, entered, gate }));
    expect(await setCurrentVersion(t.client, A)).toBe(A.buildId);
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config: { ...config, toMs: config.fromMs! + (BARS - 1) * config.barMs }, scheduleId: null }],
    });

    // Bar 2 is mid-flight on A (its analysts and researchers ran, the traders' T-A is parked).
    await heldEntered;
    await startBuild(B, taskQueue, instrument(B.buildId, ran));
    expect(await setCurrentVersion(t.client, B)).toBe(B.buildId);
    const view = await describeDeployment(t.client, deploymentName);
    expect(view?.currentBuildId).toBe(B.buildId);
    release();

    const result = (await handle.result()) as SessionResult;
    expect(result.state.round).toBe(BARS);

    const bars = Array.from({ length: BARS }, (_, i) => config.fromMs! + i * config.barMs);
    const buildsOfBar = (bar: number) => [...new Set(ran.filter((r) => r.barCloseMs === bar).map((r) => r.build))];
    const iterations = [];
    for (const bar of bars) {
      const id = iterationIdFor(config.sessionId, bar);
      iterations.push({
        bar: new Date(bar).toISOString(),
        activities: buildsOfBar(bar),
        tasks: [...new Set(await taskBuilds(t, id))],
        pinned: await versioningOf(t, id),
      });
    }
    const PINNED = 1; // temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED
    const on = (build: string) => ({
      activities: [build],
      tasks: [build],
      pinned: { buildId: build, behavior: PINNED },
    });
    expect(iterations).toEqual([
      { bar: new Date(bars[0]!).toISOString(), ...on(A.buildId) },
      // The iteration in flight finished on A although B was current before its traders ran.
      { bar: new Date(bars[1]!).toISOString(), ...on(A.buildId) },
      ...bars.slice(2).map((bar) => ({ bar: new Date(bar).toISOString(), ...on(B.buildId) })),
    ]);
    // The held step itself, and every step after it in bar 2, ran on A.
    expect(ran.filter((r) => r.barCloseMs === heldBar && r.type === HELD).map((r) => r.build)).toEqual(
      expect.arrayContaining([A.buildId]),
    );
    // Bar 2's children (risk review, knowledge transfer) inherit A's pin.
    for (const suffix of ['-kt', '-risk']) {
      const child = `${iterationIdFor(config.sessionId, heldBar)}${suffix}`;
      const exists = await t.client.workflow
        .getHandle(child)
        .describe()
        .then(() => true)
        .catch(() => false);
      if (exists)
        expect({ child, tasks: [...new Set(await taskBuilds(t, child))] }).toEqual({ child, tasks: [A.buildId] });
    }

    // The session (AUTO_UPGRADE) ran its first bars on A and moved to B at its next workflow task.
    const sessionTasks = await taskBuilds(t, config.sessionId);
    expect(sessionTasks[0]).toBe(A.buildId);
    expect(sessionTasks.at(-1)).toBe(B.buildId);
    const firstB = sessionTasks.indexOf(B.buildId);
    expect(sessionTasks.slice(firstB).every((b) => b === B.buildId)).toBe(true);
    const AUTO_UPGRADE = 2; // VERSIONING_BEHAVIOR_AUTO_UPGRADE
    expect(await versioningOf(t, config.sessionId)).toEqual({ buildId: B.buildId, behavior: AUTO_UPGRADE });
  });

  it('unversioned workers (DESK_VERSIONING=off, the in-process test workers) run the same workflows: the behaviours apply only on versioned workers', async () => {
    const taskQueue = `unversioned-${Date.now()}`;
    const workers = await createDeskWorkers({
      connection: t.connection,
      taskQueue,
      deps: testDeps(),
      workflowBundle: await workflowBundle(),
      version: null,
    });
    running.push({ workers, done: Promise.all(workers.map((w) => w.run())) });
    const config = await buildSessionConfig({ sessionId: `unversioned-${Date.now()}`, mode: 'backtest', feed: FEED });
    const handle = await t.client.workflow.start(tradingSessionWorkflow, {
      taskQueue,
      workflowId: config.sessionId,
      args: [{ config: { ...config, toMs: config.fromMs! + config.barMs }, scheduleId: null }],
    });
    // A worker that reported a behaviour without a deployment would fail every workflow task, and this would hang.
    expect(((await handle.result()) as SessionResult).state.round).toBe(2);
    expect([...new Set(await taskBuilds(t, config.sessionId))]).toEqual(['(unversioned)']);
    expect(await versioningOf(t, iterationIdFor(config.sessionId, config.fromMs!))).toEqual({
      buildId: null,
      behavior: null,
    });
  });

  it('npm run worker joins a fresh deployment as its current build; npm run deploy lists the versions and moves new work to another build', async () => {
    const deploymentName = `desk-cli-${Date.now()}`;
    const taskQueue = `deploy-cli-${Date.now()}`;
    const dir = mkdtempSync(resolve(tmpdir(), 'desk-deploy-'));
    let worker: WorkerProcess | null = null;
    try {
      const bundle = resolve(dir, 'workflow-bundle.js');
      writeFileSync(bundle, (await workflowBundle()).code);
      worker = spawnWorkerProcess({
        address: t.server.address,
        taskQueue,
        dataDir: resolve(dir, 'worker'),
        bundle,
        env: {
          ...process.env,
          LLM_PROVIDER: 'heuristic',
          DESK_LOG_LEVEL: 'ERROR',
          DESK_VERSIONING: 'on',
          DESK_DEPLOYMENT: deploymentName,
          DESK_BUILD_ID: 'cli-a',
        },
      });
      await eventually(async () => {
        if (worker!.child.exitCode !== null) throw new Error(`worker exited: ${worker!.output()}`);
        return worker!.output().includes('worker ready');
      }, 'the versioned worker process');
      // The first worker of a fresh deployment makes its own build current.
      expect(worker.output()).toContain(`build ${deploymentName}/cli-a (current)`);
      await startBuild({ deploymentName, buildId: 'cli-b' }, taskQueue, instrument('cli-b', []));

      const common = ['--deployment', deploymentName, '--address', t.server.address];
      const listed = await eventually(async () => {
        const r = await deployCli(['list', ...common]);
        return r.out.includes('cli-b') ? r : null;
      }, 'build cli-b in the deployment');
      expect(listed.code).toBe(0);
      expect(listed.out).toContain(`deployment ${deploymentName}: current build cli-a`);
      expect(listed.out).toMatch(/cli-a\s+current\s+new workflows and the session run here/);
      expect(listed.out).toMatch(/cli-b\s+inactive\s+never current/);

      const moved = await deployCli(['current', 'cli-b', ...common]);
      expect(moved).toEqual({
        code: 0,
        out: expect.stringContaining(`cli-b is now current in ${deploymentName} (was cli-a`),
      });
      expect(moved.out).toMatch(/cli-b\s+current/);
      expect((await describeDeployment(t.client, deploymentName))?.currentBuildId).toBe('cli-b');

      // Bad input is refused with what was wrong.
      expect(await deployCli(['current', ...common])).toEqual({
        code: 1,
        out: expect.stringContaining('current takes one build id; usage: npm run deploy -- list | current <build-id>'),
      });
      expect(await deployCli(['current', 'nope', '--wait', '1', ...common])).toEqual({
        code: 1,
        out: expect.stringContaining(
          `could not make ${deploymentName}/nope current: no worker of build nope has polled yet`,
        ),
      });
      expect(await deployCli(['list', '--deployment', 'no-such-desk', '--address', t.server.address])).toEqual({
        code: 1,
        out: expect.stringContaining("no worker has joined deployment 'no-such-desk' yet"),
      });
      expect((await describeDeployment(t.client, deploymentName))?.currentBuildId).toBe('cli-b');
    } finally {
      await worker?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
