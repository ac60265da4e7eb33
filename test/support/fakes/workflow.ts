import type { ExecutionState, LifecycleStarter, WorkflowCallback, WorkflowControl } from '../../../functions/core/ports/index.js';

/** Stands in for SendTaskSuccess: records each call and answers with `outcome`. */
export class RecordingCallback implements WorkflowCallback {
  readonly calls: { taskToken: string; output: unknown }[] = [];
  outcome: 'resumed' | 'expired' = 'resumed';

  private readonly used = new Set<string>();

  /** Like Step Functions: a token whose task was closed already reads as expired (TaskTimedOut). */
  async succeed(taskToken: string, output: unknown): Promise<'resumed' | 'expired'> {
    this.calls.push({ taskToken, output });
    if (this.used.has(taskToken)) return 'expired';
    this.used.add(taskToken);
    return this.outcome;
  }
}

/** Step Functions' StopExecution and DescribeExecution, recorded: every launch it is asked about succeeded. */
export class RecordingControl implements WorkflowControl {
  /** Lifecycles stopped, as campaign/customer. */
  readonly stopped: string[] = [];
  /** Other executions stopped (a campaign's launch), by ARN. */
  readonly stoppedExecutions: string[] = [];
  readonly described: string[] = [];
  async stopLifecycle(campaignId: string, customerId: string): Promise<void> {
    this.stopped.push(`${campaignId}/${customerId}`);
  }
  async stopExecution(executionArn: string): Promise<void> {
    this.stoppedExecutions.push(executionArn);
  }
  async describeExecution(executionArn: string): Promise<ExecutionState | null> {
    this.described.push(executionArn);
    return { status: 'SUCCEEDED', startedAt: '2026-12-16T02:00:00.000Z', stoppedAt: null, error: null, cause: null };
  }
}

/** Records the lifecycles started; those in `ended` answer as already there (a page started again). */
export class RecordingStarter implements LifecycleStarter {
  readonly started: string[] = [];
  readonly ended = new Set<string>();
  inFlight = 0;
  mostInFlight = 0;
  async startLifecycle(campaignId: string, customerId: string): Promise<'started' | 'existing'> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    this.inFlight--;
    if (this.ended.has(customerId)) return 'existing';
    this.started.push(`${campaignId}/${customerId}`);
    return 'started';
  }
}
