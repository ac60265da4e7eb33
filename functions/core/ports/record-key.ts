/**
 * A record's key in the table, handed to the state machine: its waits park their task token on the
 * record by it (DynamoDB UpdateItem). The core passes it on and never builds one.
 */
export interface RecordKey {
  pk: string;
  sk: string;
}
