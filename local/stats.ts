import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Commands that write, and how many items each writes. */
const WRITES: Record<string, (input: Record<string, unknown>) => number> = {
  PutItemCommand: () => 1,
  UpdateItemCommand: () => 1,
  DeleteItemCommand: () => 1,
  BatchWriteItemCommand: (input) =>
    Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>).reduce((sum, items) => sum + items.length, 0),
  TransactWriteItemsCommand: (input) => ((input.TransactItems ?? []) as unknown[]).length,
};

/**
 * What a local run costs in the units AWS bills: DynamoDB requests (reads and writes, each item of a
 * batch or transaction counted), state transitions, Lambda invocations. The benchmark turns them into
 * counts per customer and a projected AWS bill.
 */
export class RunStats {
  /** DynamoDB requests by command name (GetItemCommand...). */
  readonly ddbRequests = new Map<string, number>();
  ddbReads = 0;
  ddbWrites = 0;
  /** States entered, by state machine (the unit Step Functions Standard bills). */
  readonly transitions = new Map<string, number>();
  /** Handler invocations by function name. */
  readonly invocations = new Map<string, number>();
  /** Wall-clock milliseconds spent in handlers, by function name (for the Lambda GB-second projection). */
  readonly handlerMs = new Map<string, number>();

  /** Counts every request `client` sends from now on (the repository's and the engine's alike). */
  watch(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        this.ddbRequests.set(name, (this.ddbRequests.get(name) ?? 0) + 1);
        const writes = WRITES[name];
        if (writes) this.ddbWrites += writes(args.input as Record<string, unknown>);
        else this.ddbReads++;
        return next(args);
      },
      { step: 'initialize', name: 'revisitRunStats' },
    );
  }

  transition(stateMachine: string): void {
    this.transitions.set(stateMachine, (this.transitions.get(stateMachine) ?? 0) + 1);
  }

  invoked(functionName: string, ms: number): void {
    this.invocations.set(functionName, (this.invocations.get(functionName) ?? 0) + 1);
    this.handlerMs.set(functionName, (this.handlerMs.get(functionName) ?? 0) + ms);
  }

  static sum(map: ReadonlyMap<string, number>): number {
    let total = 0;
    for (const value of map.values()) total += value;
    return total;
  }
}
