import 'aws-sdk-client-mock-vitest/extend';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnWorkflowControl } from '../../functions/adapters/sfn-workflow-control.js';

const sfn = mockClient(SFNClient);
const LIFECYCLE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:RevisitLifecycle';
const control = new SfnWorkflowControl(new SFNClient({ region: 'ap-northeast-1' }), LIFECYCLE);

beforeEach(() => {
  sfn.reset();
});

describe('SfnWorkflowControl', () => {
  it('starts a lifecycle named after the campaign and customer, with exactly its ids as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });

    expect(await control.startLifecycle('spring-2027', 'C0001')).toBe('started');

    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: LIFECYCLE,
      name: 'spring-2027-C0001',
      input: '{"campaignId":"spring-2027","customerId":"C0001"}',
    });
  });

  it('answers "existing" for a lifecycle that already ran under that name', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    expect(await control.startLifecycle('spring-2027', 'C0001')).toBe('existing');
  });

  it('turns throttling that outlasted the SDK retries into a TransientError, which the state machine retries', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' }));

    await expect(control.startLifecycle('spring-2027', 'C0001')).rejects.toMatchObject({ name: 'TransientError' });
  });

  it('stops the lifecycle execution named after the campaign and customer, with the cause', async () => {
    sfn.on(StopExecutionCommand).resolves({});

    await control.stopLifecycle('spring-2027', 'C0001', 'campaign cancelled: wrong list');

    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: 'arn:aws:states:ap-northeast-1:123456789012:execution:RevisitLifecycle:spring-2027-C0001',
      error: 'CampaignCancelled',
      cause: 'campaign cancelled: wrong list',
    });
  });

  it('needs no stopping for an execution that is not there', async () => {
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no such execution', $metadata: {} }));

    await expect(control.stopLifecycle('spring-2027', 'C0001', 'x')).resolves.toBeUndefined();
  });

  it('passes other failures on', async () => {
    sfn.on(StopExecutionCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(control.stopLifecycle('spring-2027', 'C0001', 'x')).rejects.toThrow('throttled');
  });

  it('describes an execution with DescribeExecution, and a missing one as null', async () => {
    const arn = 'arn:aws:states:ap-northeast-1:123456789012:execution:RevisitCampaign:spring-2027-launch';
    sfn.on(DescribeExecutionCommand, { executionArn: arn }).resolves({
      executionArn: arn,
      stateMachineArn: LIFECYCLE,
      status: 'RUNNING',
      startDate: new Date('2026-12-16T02:00:00Z'),
    });
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${arn}-x` })
      .rejects(new ExecutionDoesNotExist({ message: 'no such execution', $metadata: {} }));

    expect(await control.describeExecution(arn)).toEqual({
      status: 'RUNNING',
      startedAt: '2026-12-16T02:00:00.000Z',
      stoppedAt: null,
      error: null,
      cause: null,
    });
    expect(await control.describeExecution(`${arn}-x`)).toBeNull();
  });
});
