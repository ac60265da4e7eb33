import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { TransientError } from '../core/errors.js';
import { executionNameOf } from '../core/execution-names.js';
import type { ExecutionState, LifecycleStarter, WorkflowControl } from '../core/ports/index.js';

const isoOf = (date: Date | string | undefined): string | null => (date === undefined ? null : new Date(date).toISOString());

/** What StartExecution answers for a name already taken: the SDK's name, and the optimized integration's. */
const ALREADY_EXISTS = new Set(['ExecutionAlreadyExists', 'StepFunctions.ExecutionAlreadyExistsException']);
const THROTTLED = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailable']);

/**
 * Starts lifecycle executions (StartExecution, named after campaign and customer) and stops them by name
 * with StopExecution, and describes executions (the campaign's launch) with DescribeExecution.
 * An execution that is not there (ended, never started) needs no stopping.
 */
export class SfnWorkflowControl implements WorkflowControl, LifecycleStarter {
  constructor(
    private readonly client: {
      send(command: StartExecutionCommand | StopExecutionCommand | DescribeExecutionCommand): Promise<unknown>;
    },
    private readonly lifecycleStateMachineArn: string,
  ) {}

  /**
   * Starting the same name with the same input while it runs is a no-op on a Standard workflow; once it
   * has ended, AWS answers ExecutionAlreadyExists: either way nobody starts twice. Throttling that
   * outlasts the SDK's own retries becomes a TransientError, which the state machine retries.
   */
  async startLifecycle(campaignId: string, customerId: string): Promise<'started' | 'existing'> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.lifecycleStateMachineArn,
          name: executionNameOf(campaignId, customerId),
          input: JSON.stringify({ campaignId, customerId }),
        }),
      );
      return 'started';
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (ALREADY_EXISTS.has(name)) return 'existing';
      if (THROTTLED.has(name)) throw new TransientError(`StartExecution throttled: ${name}`);
      throw error;
    }
  }

  stopLifecycle(campaignId: string, customerId: string, cause: string): Promise<void> {
    const executionArn = `${this.lifecycleStateMachineArn.replace(':stateMachine:', ':execution:')}:${executionNameOf(campaignId, customerId)}`;
    return this.stopExecution(executionArn, cause);
  }

  async stopExecution(executionArn: string, cause: string): Promise<void> {
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
