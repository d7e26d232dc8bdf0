import { summarizeFailure } from '../../../workers/failure-chain';

describe('summarizeFailure', () => {
  it('names the innermost activity and the application failure type and message under a child workflow failure', () => {
    const chain = {
      message: 'Child Workflow execution failed',
      childWorkflowExecutionFailureInfo: { workflowType: { name: 'riskReviewWorkflow' } },
      cause: {
        message: 'Activity task failed',
        activityFailureInfo: { activityType: { name: 'M-A.analyseRisk' } },
        cause: { message: 'snapshot abc is missing', applicationFailureInfo: { type: 'Data.Unavailable' } },
      },
    };
    expect(summarizeFailure(chain)).toEqual({
      step: 'M-A.analyseRisk',
      type: 'Data.Unavailable',
      message: 'snapshot abc is missing',
    });
  });

  it('reports a killed worker as the timeout kind of the step that never answered', () => {
    const chain = {
      message: 'Activity task timed out',
      activityFailureInfo: { activityType: { name: 'R-B.quantifyUncertainty' } },
      cause: { message: 'activity StartToClose timeout', timeoutFailureInfo: { timeoutType: 1 } },
    };
    expect(summarizeFailure(chain)).toEqual({
      step: 'R-B.quantifyUncertainty',
      type: 'Timeout.StartToClose',
      message: 'activity StartToClose timeout',
    });
  });

  it('falls back to the child workflow type when no activity failed', () => {
    expect(
      summarizeFailure({
        message: 'Child Workflow execution failed',
        childWorkflowExecutionFailureInfo: { workflowType: { name: 'knowledgeTransferWorkflow' } },
        cause: { message: 'boom', applicationFailureInfo: { type: '' } },
      }),
    ).toEqual({ step: 'knowledgeTransferWorkflow', type: 'Error', message: 'boom' });
  });
});
