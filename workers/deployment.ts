/**
 * Safe deploys with Temporal Worker Versioning (docs/deploys.md). Every desk worker joins one Worker
 * Deployment (`trading-desk`) with a build id naming its code; iterations stay on the build that
 * started them, the session moves to the current build at its next bar. This module derives the
 * version, makes a build current and describes the deployment for `npm run deploy`.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildIdOf,
  type DeskVersion,
  type GitState,
  resolveDeskVersion,
  versioningEnabled,
} from '../domain/deployment/version';
import { PROJECT_ROOT } from './temporal-server';

export type { DeskVersion };

/** The working tree's commit and whether tracked files changed; null without git or a repository. */
export function readGitState(root = PROJECT_ROOT): GitState | null {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: 'pipe' }).trim();
    const shortSha = git(['rev-parse', '--short=7', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    return { shortSha, dirty };
  } catch {
    return null;
  }
}

export function packageVersion(root = PROJECT_ROOT): string {
  return (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `<package version>-<git short sha>[-dirty]`, or the package version alone where git is absent. */
export function deriveBuildId(root = PROJECT_ROOT): string {
  return buildIdOf(packageVersion(root), readGitState(root));
}

/**
 * The version this process's workers run, or null for unversioned workers (`DESK_VERSIONING=off`).
 * Flags win over DESK_DEPLOYMENT / DESK_BUILD_ID, which win over the derived build id.
 */
export function deskVersionFor(
  flags: { deployment?: string | undefined; buildId?: string | undefined },
  env: NodeJS.ProcessEnv,
): DeskVersion | null {
  if (!versioningEnabled(env.DESK_VERSIONING)) {
    if (flags.deployment || flags.buildId)
      throw new Error('--deployment and --build-id need Worker Versioning, which DESK_VERSIONING=off turns off');
    return null;
  }
  return resolveDeskVersion(flags, env, () => deriveBuildId());
}

export function formatVersion(v: DeskVersion): string {
  return `${v.deploymentName}/${v.buildId}`;
}

export interface VersionSummary {
  buildId: string;
  /** inactive | current | ramping | draining | drained (Temporal's version status, lower case). */
  status: string;
  createdAt: string | null;
  currentSince: string | null;
}

export interface DeploymentView {
  deploymentName: string;
  currentBuildId: string | null;
  rampingBuildId: string | null;
  versions: VersionSummary[];
}

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;

function isoOf(t: Timestamp): string | null {
  if (!t?.seconds) return null;
  return new Date(Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6)).toISOString();
}

function enumName(value: number | null | undefined, table: Record<number, string>, prefix: string): string {
  const name = value === null || value === undefined ? undefined : table[value];
  return name ? name.replace(prefix, '').toLowerCase() : '';
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: number })?.code === 5; // gRPC NOT_FOUND
}

/** The deployment's versions, which is current, and how far each old one has drained; null if no worker ever joined it. */
export async function describeDeployment(client: Client, deploymentName: string): Promise<DeploymentView | null> {
  const res = await client.workflowService
    .describeWorkerDeployment({ namespace: client.options.namespace, deploymentName })
    .catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
  const info = res?.workerDeploymentInfo;
  if (!info) return null;
  const routing = info.routingConfig;
  const versions = (info.versionSummaries ?? []).map((s) => ({
    buildId: s.deploymentVersion?.buildId ?? s.version ?? '',
    status: enumName(
      s.status,
      temporal.api.enums.v1.WorkerDeploymentVersionStatus,
      'WORKER_DEPLOYMENT_VERSION_STATUS_',
    ),
    createdAt: isoOf(s.createTime),
    currentSince: isoOf(s.currentSinceTime),
  }));
  versions.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  return {
    deploymentName,
    currentBuildId: routing?.currentDeploymentVersion?.buildId || null,
    rampingBuildId: routing?.rampingDeploymentVersion?.buildId || null,
    versions,
  };
}

/** The names of every Worker Deployment in the namespace. */
export async function listDeploymentNames(client: Client): Promise<string[]> {
  const names: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await client.workflowService.listWorkerDeployments({
      namespace: client.options.namespace,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    for (const d of res.workerDeployments ?? []) if (d.name) names.push(d.name);
    nextPageToken = res.nextPageToken?.length ? res.nextPageToken : undefined;
  } while (nextPageToken);
  return names;
}

/** What `npm run deploy -- list` prints for one deployment. */
export function formatDeployment(view: DeploymentView): string[] {
  const lines = [
    `deployment ${view.deploymentName}: current build ${view.currentBuildId ?? 'none (unversioned workers get new workflows)'}${view.rampingBuildId ? `, ramping ${view.rampingBuildId}` : ''}`,
  ];
  const width = Math.max(8, ...view.versions.map((v) => v.buildId.length));
  for (const v of view.versions) {
    const note =
      v.status === 'draining'
        ? 'pinned workflows still open on it: keep its workers running'
        : v.status === 'drained'
          ? 'no open workflow needs it: its workers can stop'
          : v.status === 'inactive'
            ? 'never current: workers polling, no workflow routed to it'
            : v.status === 'current'
              ? `new workflows and the session run here${v.currentSince ? ` (since ${v.currentSince})` : ''}`
              : '';
    lines.push(`  ${v.buildId.padEnd(width)}  ${(v.status || '?').padEnd(8)}  ${note}`);
  }
  return lines;
}

export interface SetCurrentOptions {
  /** Keep another build if one is already current (a worker joining an existing deployment). @default false */
  onlyIfNone?: boolean;
  /** How long to wait for the build's workers to reach the server. @default 30 s */
  timeoutMs?: number;
}

/**
 * Makes `version` the deployment's current build: new workflows and the session's next bar run on it.
 * Waits until the build's pollers have reached the server (a version exists only once a worker polled).
 * Returns the build id that is current afterwards.
 */
export async function setCurrentVersion(
  client: Client,
  version: DeskVersion,
  opts: SetCurrentOptions = {},
): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const described = await client.workflowService.describeWorkerDeployment({
        namespace: client.options.namespace,
        deploymentName: version.deploymentName,
      });
      const info = described.workerDeploymentInfo;
      const current = info?.routingConfig?.currentDeploymentVersion?.buildId || null;
      if (current === version.buildId) return current;
      if (current && opts.onlyIfNone) return current;
      const known = (info?.versionSummaries ?? []).some((s) => s.deploymentVersion?.buildId === version.buildId);
      if (known) {
        await client.workflowService.setWorkerDeploymentCurrentVersion({
          namespace: client.options.namespace,
          deploymentName: version.deploymentName,
          buildId: version.buildId,
          conflictToken: described.conflictToken,
          identity: `desk-deploy@${process.pid}`,
        });
        return version.buildId;
      }
      last = new Error(`no worker of build ${version.buildId} has polled yet`);
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `could not make ${formatVersion(version)} current: ${last instanceof Error ? last.message : String(last)}; start workers of that build first (npm run worker -- --build-id ${version.buildId}) and check the build id with npm run deploy -- list`,
  );
}
