import 'aws-sdk-client-mock-vitest/extend';
import {
  InvalidOutput,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SfnWorkflowCallback } from '../../functions/adapters/sfn-workflow-callback.js';

const sfn = mockClient(SFNClient);
const callback = new SfnWorkflowCallback(new SFNClient({ region: 'ap-northeast-1' }));

beforeEach(() => {
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe('SfnWorkflowCallback', () => {
  it('resumes the waiting task with the output as JSON', async () => {
    // Act
    const outcome = await callback.succeed('task-token-1', { kind: 'score', value: 5, touch: 1 });

    // Assess
    expect(outcome).toBe('resumed');
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(SendTaskSuccessCommand, {
      taskToken: 'task-token-1',
      output: '{"kind":"score","value":5,"touch":1}',
    });
  });

  it.each([
    ['timed out', () => new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} })],
    ['no longer exists', () => new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} })],
    ['has an invalid token', () => new InvalidToken({ message: 'Invalid token', $metadata: {} })],
  ])('reports a task that %s as expired', async (_what, failure) => {
    sfn.on(SendTaskSuccessCommand).rejects(failure());

    expect(await callback.succeed('task-token-1', {})).toBe('expired');
  });

  it('passes on any other error', async () => {
    const invalid = new InvalidOutput({ message: 'output too large', $metadata: {} });
    sfn.on(SendTaskSuccessCommand).rejects(invalid);

    await expect(callback.succeed('task-token-1', {})).rejects.toBe(invalid);
  });
});
