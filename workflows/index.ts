// How each workflow moves between builds under Worker Versioning (docs/deploys.md).
import './versioning';
export { tradingSessionWorkflow } from './session';
export { tradingIterationWorkflow } from './iteration';
export { riskReviewWorkflow } from './risk-review';
export { knowledgeTransferWorkflow } from './knowledge-transfer';
export { barTickWorkflow } from './bar-tick';
export { backtestSweepWorkflow, sweepRunWorkflow } from './sweep';
