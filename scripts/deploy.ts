/**
 * `npm run deploy -- list | current <build-id> [--deployment NAME --address HOST:PORT --namespace NS --wait S]`:
 * the desk's Worker Deployment (docs/deploys.md).
 *
 *   list               every version of the deployment: which build is current, which old builds still
 *                      drain (pinned iterations open on them) and which can be stopped
 *   current <build-id> make that build current: new iterations and the session's next bar run on it; it
 *                      waits up to --wait seconds (default 30) for that build's workers to reach the server
 *   --deployment       the deployment (default DESK_DEPLOYMENT, else `trading-desk`)
 */
import { parseArgs } from 'node:util';
import { checkBuildId, checkDeploymentName, DEFAULT_DEPLOYMENT } from '../domain/deployment/version';
import { connectClient } from '../workers/client';
import { describeDeployment, formatDeployment, listDeploymentNames, setCurrentVersion } from '../workers/deployment';
import { loadEnv, temporalEnv } from '../workers/env';

const USAGE = 'usage: npm run deploy -- list | current <build-id> [--deployment NAME] [--wait SECONDS]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      deployment: { type: 'string' },
      address: { type: 'string' },
      namespace: { type: 'string' },
      wait: { type: 'string', default: '30' },
    },
  });
  const [command, ...rest] = positionals;
  if (command !== 'list' && command !== 'current') throw new Error(`unknown command '${command ?? ''}'; ${USAGE}`);
  if (command === 'current' && rest.length !== 1) throw new Error(`current takes one build id; ${USAGE}`);
  if (command === 'list' && rest.length > 0) throw new Error(`list takes no argument; ${USAGE}`);
  const waitSeconds = Number(values.wait);
  if (!(waitSeconds >= 0)) throw new Error(`--wait must be a number of seconds, got '${values.wait}'`);
  const env = loadEnv();
  const deploymentName = values.deployment
    ? checkDeploymentName(values.deployment)
    : env.DESK_DEPLOYMENT
      ? checkDeploymentName(env.DESK_DEPLOYMENT, 'DESK_DEPLOYMENT')
      : DEFAULT_DEPLOYMENT;
  const client = await connectClient(
    temporalEnv({
      ...env,
      ...(values.address ? { TEMPORAL_ADDRESS: values.address } : {}),
      ...(values.namespace ? { TEMPORAL_NAMESPACE: values.namespace } : {}),
    }),
  );
  try {
    if (command === 'current') {
      const buildId = checkBuildId(rest[0]!, 'the build id');
      const before = await describeDeployment(client, deploymentName);
      await setCurrentVersion(client, { deploymentName, buildId }, { timeoutMs: waitSeconds * 1000 });
      const previous = before?.currentBuildId ?? null;
      console.log(
        previous === buildId
          ? `${buildId} was already current in ${deploymentName}`
          : `${buildId} is now current in ${deploymentName}${previous ? ` (was ${previous}: it drains as its pinned iterations finish; npm run deploy -- list shows when it can stop)` : ''}`,
      );
    }
    const view = await describeDeployment(client, deploymentName);
    if (!view) {
      const others = await listDeploymentNames(client);
      throw new Error(
        `no worker has joined deployment '${deploymentName}' yet${others.length ? ` (deployments here: ${others.join(', ')})` : ''}`,
      );
    }
    for (const line of formatDeployment(view)) console.log(line);
  } finally {
    await client.connection.close();
  }
}

main().catch((err) => {
  console.error(`npm run deploy failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
