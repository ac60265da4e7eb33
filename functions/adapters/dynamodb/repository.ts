import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  CampaignRepository,
  CampaignStore,
  CustomerRecords,
  CustomerStore,
  EscalationStore,
  EventStore,
  LifecycleStore,
  ProfileStore,
  ProgramStore,
  ReplyStore,
  SuppressionList,
  TicketStore,
  TouchStore,
} from '../../core/ports/index.js';
import { DynamoDbCampaignStore } from './campaign-store.js';
import { DynamoDbCustomerRecords } from './customer-records.js';
import { CustomerCache, DynamoDbCustomerStore } from './customer-store.js';
import { DynamoDbEscalationStore } from './escalation-store.js';
import { DynamoDbLifecycleStore } from './lifecycle-store.js';
import { DynamoDbEventStore, DynamoDbProfileStore } from './profile-store.js';
import { DynamoDbProgramStore } from './program-store.js';
import { DynamoDbReplyStore } from './reply-store.js';
import { DynamoDbSuppressionList } from './suppression-list.js';
import { Table } from './table.js';
import { DynamoDbTicketStore } from './ticket-store.js';
import { DynamoDbTouchStore } from './touch-store.js';

export interface RepositoryOptions {
  /**
   * How long a campaign's record (settings, templates, cut-offs) is reused before it is read again, in
   * milliseconds. Every step reads it, so a warm Lambda (or the local engine) saves a read and a parse per
   * step. A send checks `getCampaignStatus` first, which is always read: a pause holds at once, and
   * settings changed since the cached read are read again.
   * @default 0 (always read)
   */
  campaignCacheMs?: number;
  /**
   * How long a customer's imported row is reused, in milliseconds (it does not change during a campaign;
   * an erasure stops the customer's lifecycles before it deletes the row). Up to 50,000 rows are kept.
   * @default 0 (always read)
   */
  customerCacheMs?: number;
}

/** The port's methods of `store`, bound to it, as own properties: stores spread into one object compose. */
function methodsOf<Port extends object>(store: Port): Port {
  const methods: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
    const method: unknown = Reflect.get(store, name);
    if (name !== 'constructor' && typeof method === 'function') methods[name] = method.bind(store);
  }
  return methods as Port;
}

/**
 * Every store on one DynamoDB table (key design in keys.ts), as the one object the entry points wire: the
 * stores share the table and the customer row cache (deleting a campaign or a customer forgets their rows).
 */
export function dynamoDbRepository(
  client: DynamoDBClient,
  tableName: string,
  options: RepositoryOptions = {},
): CampaignRepository {
  const table = new Table(client, tableName);
  const customers = new CustomerCache(options.customerCacheMs ?? 0);
  return {
    ...methodsOf<CampaignStore>(new DynamoDbCampaignStore(table, customers, options.campaignCacheMs ?? 0)),
    ...methodsOf<CustomerStore>(new DynamoDbCustomerStore(table, customers)),
    ...methodsOf<LifecycleStore>(new DynamoDbLifecycleStore(table)),
    ...methodsOf<TouchStore>(new DynamoDbTouchStore(table)),
    ...methodsOf<ReplyStore>(new DynamoDbReplyStore(table)),
    ...methodsOf<EscalationStore>(new DynamoDbEscalationStore(table)),
    ...methodsOf<TicketStore>(new DynamoDbTicketStore(table)),
    ...methodsOf<SuppressionList>(new DynamoDbSuppressionList(table)),
    ...methodsOf<CustomerRecords>(new DynamoDbCustomerRecords(table, customers)),
  };
}

/**
 * The customer profiles and their events on the same table: ports of their own, apart from the campaign
 * repository (a profile outlives every campaign).
 */
export function dynamoDbProfileStores(client: DynamoDBClient, tableName: string): { profiles: ProfileStore; events: EventStore } {
  const table = new Table(client, tableName);
  return { profiles: new DynamoDbProfileStore(table), events: new DynamoDbEventStore(table) };
}

/** The standing programs (issue 16) on the same table: their records and waves, the touches claimed and the due index. */
export function dynamoDbProgramStore(client: DynamoDBClient, tableName: string): ProgramStore {
  return new DynamoDbProgramStore(new Table(client, tableName));
}
