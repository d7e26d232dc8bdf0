import { setWorkflowOptions } from '@temporalio/workflow';
import { tradingIterationWorkflow } from './iteration';
import { knowledgeTransferWorkflow } from './knowledge-transfer';
import { riskReviewWorkflow } from './risk-review';
import { tradingSessionWorkflow } from './session';
import { barTickWorkflow } from './bar-tick';
import { backtestSweepWorkflow, sweepRunWorkflow } from './sweep';

/**
 * How each workflow moves between builds under Worker Versioning (docs/deploys.md). PINNED: a run
 * finishes on the build that started it, so a bar's decision never changes code halfway. AUTO_UPGRADE:
 * the next workflow task goes to the deployment's current build. The session is the one long-lived
 * workflow: it moves at its next bar (a changed session must stay replay-compatible, with `patched`).
 * Inert on unversioned workers.
 */
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, tradingSessionWorkflow);
setWorkflowOptions({ versioningBehavior: 'PINNED' }, tradingIterationWorkflow);
setWorkflowOptions({ versioningBehavior: 'PINNED' }, riskReviewWorkflow);
setWorkflowOptions({ versioningBehavior: 'PINNED' }, knowledgeTransferWorkflow);
// One signal to the session: nothing to keep on an old build.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, barTickWorkflow);
setWorkflowOptions({ versioningBehavior: 'PINNED' }, backtestSweepWorkflow);
setWorkflowOptions({ versioningBehavior: 'PINNED' }, sweepRunWorkflow);
