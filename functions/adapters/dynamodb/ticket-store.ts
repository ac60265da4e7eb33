import type { RecordKey, TicketStore, TouchKey } from '../../core/ports/index.js';
import { type TicketRecord, ticketRecordSchema } from '../../core/records.js';
import { keys, prefixes } from './keys.js';
import { strip, type Table, valueList } from './table.js';

const ticketKey = (key: TouchKey) => keys.ticket(key.campaignId, key.customerId, key.touch);

/** TicketStore on the table: a TICKET item per touch whose reply raised an issue. */
export class DynamoDbTicketStore implements TicketStore {
  constructor(private readonly table: Table) {}

  ticketRecordKey(key: TouchKey): RecordKey {
    return ticketKey(key);
  }

  async createTicket(record: TicketRecord): Promise<boolean> {
    const result = await this.table.conditionalPut({
      Item: { ...ticketKey(record), ...record },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    return result.written;
  }

  getTicket(key: TouchKey): Promise<TicketRecord | null> {
    return this.table.get(ticketKey(key), ticketRecordSchema);
  }

  async updateTicket(
    key: TouchKey,
    guard: { from: readonly TicketRecord['status'][]; level?: number },
    changes: Partial<TicketRecord>,
  ): Promise<TicketRecord | null> {
    const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    const sets = entries.map(([field, value], i) => {
      names[`#c${i}`] = field;
      values[`:c${i}`] = value;
      return `#c${i} = :c${i}`;
    });
    let condition = `attribute_exists(pk) AND #status IN (${valueList(values, 'from', guard.from)})`;
    if (guard.level !== undefined) {
      names['#level'] = 'level';
      values[':level'] = guard.level;
      condition += ' AND #level = :level';
    }
    const result = await this.table.conditionalUpdate({
      Key: ticketKey(key),
      UpdateExpression: sets.length > 0 ? `SET ${sets.join(', ')}` : 'SET #status = #status',
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    return result.written && result.attributes ? ticketRecordSchema.parse(strip(result.attributes)) : null;
  }

  listTickets(campaignId: string): Promise<TicketRecord[]> {
    return this.table.queryPrefix(keys.campaignPartition(campaignId), prefixes.ticket, ticketRecordSchema);
  }
}
