/**
 * The desk's Worker Deployment version (docs/deploys.md): a deployment name shared by every worker
 * of the desk and a build id naming the code a worker runs. Pure: the caller reads git and package.json.
 */

/** The deployment every desk worker joins unless DESK_DEPLOYMENT or --deployment says otherwise. */
export const DEFAULT_DEPLOYMENT = 'trading-desk';

export interface DeskVersion {
  deploymentName: string;
  buildId: string;
}

/** What git says of the working tree; null when there is no git (or no repository). */
export interface GitState {
  shortSha: string;
  /** Tracked files differ from the commit (untracked files do not count). */
  dirty: boolean;
}

const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;
// Temporal writes a version as `<deployment>.<build id>`, so a deployment name has no dot.
const DEPLOYMENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** `<package version>-<git short sha>[-dirty]`; the package version alone without git. */
export function buildIdOf(packageVersion: string, git: GitState | null): string {
  const base = git ? `${packageVersion}-${git.shortSha}${git.dirty ? '-dirty' : ''}` : packageVersion;
  return checkBuildId(base, 'the derived build id');
}

/** A build id as Temporal and a shell both take it, or an error naming where it came from. */
export function checkBuildId(id: string, source = '--build-id'): string {
  if (!BUILD_ID.test(id))
    throw new Error(
      `${source} must be 1-100 characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit; got '${id}'`,
    );
  return id;
}

/** A deployment name (no dot: Temporal joins name and build id with one), or an error naming where it came from. */
export function checkDeploymentName(name: string, source = '--deployment'): string {
  if (!DEPLOYMENT.test(name))
    throw new Error(
      `${source} must be 1-100 characters of letters, digits, '_' or '-', starting with a letter or digit; got '${name}'`,
    );
  return name;
}

/** Which version a process runs: a flag wins over the environment, which wins over the derived default. */
export function resolveDeskVersion(
  flags: { deployment?: string | undefined; buildId?: string | undefined },
  env: { DESK_DEPLOYMENT?: string | undefined; DESK_BUILD_ID?: string | undefined },
  derivedBuildId: () => string,
): DeskVersion {
  const deploymentName = flags.deployment
    ? checkDeploymentName(flags.deployment)
    : env.DESK_DEPLOYMENT
      ? checkDeploymentName(env.DESK_DEPLOYMENT, 'DESK_DEPLOYMENT')
      : DEFAULT_DEPLOYMENT;
  const buildId = flags.buildId
    ? checkBuildId(flags.buildId)
    : env.DESK_BUILD_ID
      ? checkBuildId(env.DESK_BUILD_ID, 'DESK_BUILD_ID')
      : derivedBuildId();
  return { deploymentName, buildId };
}

/** `DESK_VERSIONING=off` runs unversioned workers (tests, a server without Worker Deployments); anything else but `on` is refused. */
export function versioningEnabled(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`DESK_VERSIONING is 'on' or 'off', got '${value}'`);
}
