import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import { tradingIterationWorkflow } from './iteration';
import { knowledgeTransferWorkflow } from './knowledge-transfer';
import { riskReviewWorkflow } from './risk-review';
import { tradingSessionWorkflow } from './session';
import { barTickWorkflow } from './bar-tick';
import { backtestSweepWorkflow, sweepRunWorkflow } from './sweep';

/**
 * A behaviour only on versioned workers (an unversioned worker has a build id but no deployment name):
 * an unversioned worker that reports one fails every workflow task ("versioning behavior cannot be
 * specified without deployment options being set with versioned mode").
 */
const whenVersioned = (versioningBehavior: VersioningBehavior) => () =>
  workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior } : {};

/**
 * How each workflow moves between builds under Worker Versioning (docs/deploys.md). PINNED: a run
 * finishes on the build that started it, so a bar's decision never changes code halfway. AUTO_UPGRADE:
 * the next workflow task goes to the deployment's current build. The session is the one long-lived
 * workflow: it moves at its next bar (a changed session must stay replay-compatible, with `patched`).
 */
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), tradingSessionWorkflow);
setWorkflowOptions(whenVersioned('PINNED'), tradingIterationWorkflow);
setWorkflowOptions(whenVersioned('PINNED'), riskReviewWorkflow);
setWorkflowOptions(whenVersioned('PINNED'), knowledgeTransferWorkflow);
// One signal to the session: nothing to keep on an old build.
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), barTickWorkflow);
setWorkflowOptions(whenVersioned('PINNED'), backtestSweepWorkflow);
setWorkflowOptions(whenVersioned('PINNED'), sweepRunWorkflow);
