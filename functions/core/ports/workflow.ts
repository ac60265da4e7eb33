/** Resumes a lifecycle waiting on a task token (SendTaskSuccess). */
export interface WorkflowCallback {
  /** 'expired' when the waiting task timed out or the execution ended: the reply is then a late one. */
  succeed(taskToken: string, output: unknown): Promise<'resumed' | 'expired'>;
}

/** How an execution stands (DescribeExecution). */
export interface ExecutionState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | string;
  startedAt: string | null;
  stoppedAt: string | null;
  /** Why it failed, when it did. */
  error: string | null;
  cause: string | null;
}

/** Starts a customer's lifecycle execution, named after campaign and customer so that none starts twice. */
export interface LifecycleStarter {
  /** 'existing' when an execution of that name had already ended (a page started again). */
  startLifecycle(campaignId: string, customerId: string): Promise<'started' | 'existing'>;
}

/** Stops and describes executions: Step Functions StopExecution/DescribeExecution, or the local engine's. */
export interface WorkflowControl {
  stopLifecycle(campaignId: string, customerId: string, cause: string): Promise<void>;
  /** Stops any execution by its ARN (the campaign's launch); one that has ended needs no stopping. */
  stopExecution(executionArn: string, cause: string): Promise<void>;
  /** null when no such execution exists. */
  describeExecution(executionArn: string): Promise<ExecutionState | null>;
}
