import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { WorkflowCallback } from '../core/ports/index.js';

/**
 * Resumes a waiting lifecycle with SendTaskSuccess; a timed-out or finished task makes the reply a late one.
 * Takes any client that sends SFN commands: the SDK's SFNClient in AWS, LocalSfnClient locally.
 */
export class SfnWorkflowCallback implements WorkflowCallback {
  constructor(private readonly client: { send(command: SendTaskSuccessCommand): Promise<unknown> }) {}

  async succeed(taskToken: string, output: unknown): Promise<'resumed' | 'expired'> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'resumed';
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TaskTimedOut' || name === 'TaskDoesNotExist' || name === 'InvalidToken') return 'expired';
      throw error;
    }
  }
}
