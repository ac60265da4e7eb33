import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { LocalStepFunctions } from './engine.js';

type SupportedCommand =
  | SendTaskSuccessCommand
  | SendTaskFailureCommand
  | StartExecutionCommand
  | DescribeExecutionCommand
  | StopExecutionCommand;

/**
 * The Step Functions API, answered by the local engine: adapters written for @aws-sdk/client-sfn
 * (SfnWorkflowCallback, the CLI) run unchanged against it.
 */
export class LocalSfnClient {
  constructor(private readonly engine: LocalStepFunctions) {}

  async send(command: SupportedCommand): Promise<Record<string, unknown>> {
    if (command instanceof SendTaskSuccessCommand) {
      this.engine.sendTaskSuccess(command.input.taskToken ?? '', command.input.output ?? 'null');
      return {};
    }
    if (command instanceof SendTaskFailureCommand) {
      this.engine.sendTaskFailure(command.input.taskToken ?? '', command.input.error ?? 'Error', command.input.cause ?? '');
      return {};
    }
    if (command instanceof StartExecutionCommand) {
      const execution = this.engine.startExecution(
        command.input.stateMachineArn ?? '',
        command.input.name ?? crypto.randomUUID(),
        JSON.parse(command.input.input ?? '{}'),
      );
      return { executionArn: execution.executionArn, startDate: new Date() };
    }
    if (command instanceof DescribeExecutionCommand) {
      const execution = this.engine.executions.get(command.input.executionArn ?? '');
      if (!execution) throw Object.assign(new Error('no such execution'), { name: 'ExecutionDoesNotExist' });
      return {
        executionArn: execution.executionArn,
        status: execution.status,
        startDate: execution.startedAt,
        stopDate: execution.stoppedAt,
        error: execution.error,
      };
    }
    if (command instanceof StopExecutionCommand) {
      this.engine.stopExecution(command.input.executionArn ?? '');
      return { stopDate: new Date() };
    }
    throw new Error(`the local engine does not answer ${(command as object).constructor.name}`);
  }
}
