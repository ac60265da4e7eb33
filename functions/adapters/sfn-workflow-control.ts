import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionState, WorkflowControl } from '../core/ports.js';
import { executionNameOf } from '../core/use-cases/list-customers.js';

const isoOf = (date: Date | string | undefined): string | null => (date === undefined ? null : new Date(date).toISOString());

/**
 * Stops lifecycle executions by name (they are named after campaign and customer) with StopExecution,
 * and describes executions (the campaign's launch) with DescribeExecution.
 * An execution that is not there (ended, never started) needs no stopping.
 */
export class SfnWorkflowControl implements WorkflowControl {
  constructor(
    private readonly client: { send(command: StopExecutionCommand | DescribeExecutionCommand): Promise<unknown> },
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

  async describeExecution(executionArn: string): Promise<ExecutionState | null> {
    try {
      const out = (await this.client.send(new DescribeExecutionCommand({ executionArn }))) as DescribeExecutionCommandOutput;
      return {
        status: out.status ?? 'UNKNOWN',
        startedAt: isoOf(out.startDate),
        stoppedAt: isoOf(out.stopDate),
        error: out.error ?? null,
        cause: out.cause ?? null,
      };
    } catch (error) {
      if ((error as { name?: string }).name === 'ExecutionDoesNotExist') return null;
      throw error;
    }
  }
}
