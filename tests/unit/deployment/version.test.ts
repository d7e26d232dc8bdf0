import {
  buildIdOf,
  checkBuildId,
  checkDeploymentName,
  DEFAULT_DEPLOYMENT,
  resolveDeskVersion,
  versioningEnabled,
} from '../../../domain/deployment/version';
import { deriveBuildId, deskVersionFor, packageVersion, readGitState } from '../../../workers/deployment';

describe('desk build ids and deployment names', () => {
  it('derives <package version>-<short sha>, -dirty when tracked files changed, the version alone without git', () => {
    expect(buildIdOf('0.1.0', { shortSha: 'b3f4473', dirty: false })).toBe('0.1.0-b3f4473');
    expect(buildIdOf('0.1.0', { shortSha: 'b3f4473', dirty: true })).toBe('0.1.0-b3f4473-dirty');
    expect(buildIdOf('0.1.0', null)).toBe('0.1.0');
  });

  it('reads this checkout: the package version and the commit git reports', () => {
    const git = readGitState();
    const id = deriveBuildId();
    expect(id.startsWith(`${packageVersion()}`)).toBe(true);
    if (git) expect(id).toBe(`${packageVersion()}-${git.shortSha}${git.dirty ? '-dirty' : ''}`);
    // Outside a repository there is no git state, and the id is the version alone.
    expect(readGitState('/')).toBeNull();
  });

  it('a flag wins over the environment, which wins over the derived id', () => {
    const derived = () => 'derived';
    expect(resolveDeskVersion({}, {}, derived)).toEqual({ deploymentName: DEFAULT_DEPLOYMENT, buildId: 'derived' });
    expect(resolveDeskVersion({}, { DESK_DEPLOYMENT: 'desk2', DESK_BUILD_ID: 'env-1' }, derived)).toEqual({
      deploymentName: 'desk2',
      buildId: 'env-1',
    });
    expect(
      resolveDeskVersion(
        { deployment: 'desk3', buildId: 'flag-1' },
        { DESK_DEPLOYMENT: 'x', DESK_BUILD_ID: 'y' },
        derived,
      ),
    ).toEqual({ deploymentName: 'desk3', buildId: 'flag-1' });
  });

  it('refuses bad names and ids, naming where they came from', () => {
    expect(() => checkBuildId('')).toThrow(
      "--build-id must be 1-100 characters of letters, digits, '.', '_', '+' or '-'",
    );
    expect(() => checkBuildId('a b')).toThrow("got 'a b'");
    expect(() => checkDeploymentName('trading.desk')).toThrow(
      "--deployment must be 1-100 characters of letters, digits, '_' or '-'",
    );
    expect(() => resolveDeskVersion({}, { DESK_BUILD_ID: '-x' }, () => 'd')).toThrow('DESK_BUILD_ID must be');
    expect(() => resolveDeskVersion({}, { DESK_DEPLOYMENT: 'a/b' }, () => 'd')).toThrow('DESK_DEPLOYMENT must be');
    expect(checkBuildId('0.1.0-b3f4473-dirty')).toBe('0.1.0-b3f4473-dirty');
  });

  it('DESK_VERSIONING is on by default, off runs unversioned workers, anything else is refused', () => {
    expect(versioningEnabled(undefined)).toBe(true);
    expect(versioningEnabled('on')).toBe(true);
    expect(versioningEnabled('off')).toBe(false);
    expect(() => versioningEnabled('no')).toThrow("DESK_VERSIONING is 'on' or 'off', got 'no'");
    expect(deskVersionFor({}, { DESK_VERSIONING: 'off' })).toBeNull();
    expect(() => deskVersionFor({ buildId: 'b1' }, { DESK_VERSIONING: 'off' })).toThrow(
      '--deployment and --build-id need Worker Versioning',
    );
    expect(deskVersionFor({ buildId: 'b1' }, {})).toEqual({ deploymentName: DEFAULT_DEPLOYMENT, buildId: 'b1' });
  });
});
