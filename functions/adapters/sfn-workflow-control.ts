import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowControl } from '../core/ports.js';
import { executionNameOf } from '../core/use-cases/list-customers.js';

/**
 * Stops lifecycle executions by name (they are named after campaign and customer) with StopExecution.
 * An execution that is not there (ended, never started) needs no stopping.
 */
export class SfnWorkflowControl implements WorkflowControl {
  constructor(
    private readonly client: { send(command: StopExecutionCommand): Promise<unknown> },
    private readonly lifecycleStateMachineArn: string,
  ) {}

  async stopLifecycle(campaignId: string, customerId: string, cause: string): Promise<void> {
    const executionArn = `${this.lifecycleStateMachineArn.replace(':stateMachine:', ':execution:')}:${executionNameOf(campaignId, customerId)}`;
    try {
      await this.client.send(
        new StopExecutionCommand({ executionArn, error: 'CampaignCancelled', cause: cause.slice(0, 32_000) }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExecutionDoesNotExist') throw error;
    }
  }
}
