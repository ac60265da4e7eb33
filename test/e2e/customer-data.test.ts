import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressHash } from '../../functions/adapters/dynamodb/keys.js';
import { type Customer, campaignSchema } from '../../functions/core/schemas.js';
import { tierCutoffsOf } from '../../functions/core/segmentation.js';
import { type CustomerExport, eraseCustomer, exportCustomer } from '../../functions/core/use-cases/customer-data.js';
import { lambdaContext } from '../../local/engine.js';
import { customer, type Harness, startHarness } from '../../local/harness.js';
import { smsReplyEvent } from '../../local/inbound-events.js';
import type { OutboxEntry } from '../../local/outbox.js';
import { LIFECYCLE_ARN, LOCAL_TABLE, startLocalRuntime } from '../../local/runtime.js';
import { VirtualClock } from '../../local/virtual-clock.js';
import { dataDirFor } from '../support/data-dir.js';
import { campaignOf, customerOf, lifecycleOf, NOW, sentTouchOf } from '../support/fixtures.js';

// `revisit customer export|erase` on DynamoDB Local: a customer goes through a campaign (a complaint, a
// ticket, the fix confirmed... and an opt-out), is exported, erased, and a later campaign leaves them alone.
const SUBJECT = 'dsr-subject';
const BYSTANDER = 'dsr-bystander';
const COMPLAINT = '1，快递员态度很差';
const STRAY = '你好，请问什么时候发货？';

let h: Harness;
let subject: Customer;
let bystander: Customer;
let exported: CustomerExport;

/** Every item of the table, as stored. */
async function tableItems(): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(h.runtime.ddb.client);
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: LOCAL_TABLE, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

beforeAll(async () => {
  subject = customer({ id: SUBJECT, email: null });
  bystander = customer({ id: BYSTANDER });
  // Equal spends make both core customers: contacted by SMS first, without the call task.
  h = await startHarness([subject, bystander], {
    segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } },
  });
  const phone = subject.phone ?? '';

  // Before any message, the subject texts the number: the reply answers nothing and is kept unmatched.
  await h.runtime.handlers['inbound-sms'](
    smsReplyEvent('no-such-message', phone, STRAY, h.runtime.clock.now().toISOString()),
    lambdaContext('revisit-inbound-sms'),
  );
  // The subject complains; the manager acknowledges and resolves the ticket; asked whether it is solved,
  // the subject opts out. The bystander is happy.
  h.startLifecycle(SUBJECT);
  h.startLifecycle(BYSTANDER);
  await h.replyBySms(await h.nextMessage(SUBJECT), COMPLAINT);
  const mail = await h.nextMessage(SUBJECT, (m) => m.kind === 'escalation');
  await h.actOnTicket(mail, 'acknowledge');
  await h.actOnTicket(mail, 'resolve');
  await h.replyBySms(await h.nextMessage(SUBJECT, (m) => m.template.startsWith('confirm-')), '退订');
  await h.replyBySms(await h.nextMessage(BYSTANDER), '5');
  await h.finished(SUBJECT);
  await h.finished(BYSTANDER);
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('a customer data request on the local engine', () => {
  it('exports everything about the customer: row, lifecycle, touches, replies, escalation, ticket, opt-out, stray text', async () => {
    // Act
    exported = await exportCustomer(h.runtime.operate, SUBJECT);

    // Assess
    expect(exported.campaigns).toHaveLength(1);
    const [campaign] = exported.campaigns;
    expect(campaign?.customer).toMatchObject({ id: SUBJECT, phone: subject.phone });
    expect(campaign?.lifecycle).toMatchObject({ customerId: SUBJECT, escalated: true });
    expect(campaign?.touches.map((t) => t.asks)).toEqual(['csat', 'confirm']);
    expect(campaign?.touches.map((t) => t.reply?.kind)).toEqual(['score', 'optout']);
    expect(campaign?.replies.map((r) => r.kind).sort()).toEqual(['optout', 'score']);
    expect(campaign?.escalations).toEqual([expect.objectContaining({ kind: 'escalation', status: 'sent' })]);
    expect(campaign?.tickets).toEqual([
      expect.objectContaining({ status: 'closed', replyText: expect.stringContaining('快递员态度很差') }),
    ]);
    expect(exported.addresses).toEqual([
      {
        channel: 'sms',
        address: subject.phone,
        suppressed: expect.objectContaining({ channel: 'sms', source: 'reply:sms' }),
        unmatchedReplies: [expect.objectContaining({ kind: 'text', value: STRAY, campaignId: null })],
      },
    ]);
  });

  it('exports nothing about another customer', () => {
    const text = JSON.stringify(exported);

    for (const trace of [BYSTANDER, bystander.phone ?? '', bystander.email ?? '']) expect(text).not.toContain(trace);
    expect(text).not.toContain('token');
  });

  it('erases the customer, leaving only the hashed opt-out, and the other customer as they were', async () => {
    // Prepare
    const before = await exportCustomer(h.runtime.operate, BYSTANDER);
    const phoneHash = addressHash(subject.phone ?? '');

    // Act
    const result = await eraseCustomer(h.runtime.operate, SUBJECT);

    // Assess
    expect(result).toMatchObject({ campaigns: ['test-campaign'], stopped: 0, keptOptOuts: ['sms'] });
    expect(result.deleted).toBeGreaterThanOrEqual(9);
    const items = await tableItems();
    const traces = items.filter((item) =>
      [SUBJECT, subject.phone ?? '', phoneHash, '快递员态度很差', STRAY].some((trace) => JSON.stringify(item).includes(trace)),
    );
    expect(traces).toEqual([
      { pk: `SUPPRESSION#sms#${phoneHash}`, sk: 'SUPPRESSION', channel: 'sms', source: 'reply:sms', at: expect.any(String) },
    ]);
    const indexed = await DynamoDBDocumentClient.from(h.runtime.ddb.client).send(
      new QueryCommand({
        TableName: LOCAL_TABLE,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :g',
        ExpressionAttributeValues: { ':g': `ADDR#sms#${phoneHash}` },
      }),
    );
    expect(indexed.Items).toEqual([]);
    expect(await exportCustomer(h.runtime.operate, BYSTANDER)).toEqual({ ...before, exportedAt: expect.any(String) });
  });

  it('still leaves an erased customer who opted out alone in a later campaign', async () => {
    // Prepare: a later campaign imports the same customer, with the same phone number
    const later = campaignSchema.parse({
      id: 'later-campaign',
      name: 'Later campaign',
      segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } },
    });
    await h.runtime.repo.putCampaign({
      campaignId: later.id,
      campaign: later,
      cutoffs: tierCutoffsOf([subject.spend12m, bystander.spend12m], later.segmentation),
      status: 'running',
      createdAt: h.runtime.clock.now().toISOString(),
      customerCount: 1,
    });
    await h.runtime.repo.putCustomers(later.id, [subject]);

    // Act
    const execution = h.runtime.engine.startExecution(LIFECYCLE_ARN, `${later.id}-${SUBJECT}`, {
      campaignId: later.id,
      customerId: SUBJECT,
    });
    await execution.result;

    // Assess
    expect(h.messages.filter((m: OutboxEntry) => m.campaignId === later.id)).toEqual([]);
    expect(await h.runtime.repo.getLifecycle(later.id, SUBJECT)).toMatchObject({
      status: 'skipped',
      skip: expect.stringContaining('opted out of sms'),
    });
    expect(execution.visited).toContain('Skipped');
  });
});

describe('revisit customer export and erase, on a data folder', () => {
  const run = promisify(execFile);
  const revisit = (...args: string[]) =>
    run(process.execPath, ['bin/revisit.mjs', ...args], { timeout: 120_000 }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  let dataDir: string;

  beforeAll(async () => {
    // Prepare: a data folder holding a campaign in which customer C0001 was sent one SMS, and C0002 nothing
    dataDir = dataDirFor('revisit-dsr-');
    const runtime = await startLocalRuntime({ outDir: join(dataDir, 'out'), dataDir, clock: new VirtualClock(new Date(NOW), 1) });
    try {
      const campaign = campaignOf();
      await runtime.repo.putCampaign({
        campaignId: campaign.id,
        campaign,
        cutoffs: { diamondMinSpend: 5000, goldMinSpend: 2000 },
        status: 'running',
        createdAt: NOW,
        customerCount: 2,
      });
      await runtime.repo.putCustomers(campaign.id, [customerOf(), customerOf({ id: 'C0002', phone: '+8613900139000' })]);
      await runtime.repo.createLifecycle(lifecycleOf({ status: 'replied', finishedAt: NOW }));
      await runtime.repo.claimTouch(sentTouchOf());
    } finally {
      await runtime.stop();
    }
  }, 120_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to erase without --yes when there is no terminal to ask in', async () => {
    const refused = await revisit('customer', 'erase', 'C0001', '--data', dataDir);

    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('pass --yes to go ahead') });
  });

  it('refuses while a campaign run holds the data folder', async () => {
    // Prepare: this process stands in for the live run
    writeFileSync(join(dataDir, 'run.lock'), String(process.pid));

    // Act
    const refused = await revisit('customer', 'export', 'C0001', '--data', dataDir);
    rmSync(join(dataDir, 'run.lock'));

    // Assess
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining(`a campaign run (process ${process.pid}) holds`) });
  });

  it('exports the customer to a file, erases them with --yes, and finds nothing left after', async () => {
    // Act
    const file = join(dataDir, 'C0001.json');
    const exportedToFile = await revisit('customer', 'export', 'C0001', '--data', dataDir, '--out', file);
    const before = JSON.parse(readFileSync(file, 'utf8')) as CustomerExport;
    const erased = await revisit('customer', 'erase', 'C0001', '--data', dataDir, '--yes');
    const after = await revisit('customer', 'export', 'C0001', '--data', dataDir);

    // Assess
    expect(exportedToFile).toMatchObject({ stderr: expect.stringContaining(`3 records from 1 campaigns written to ${file}`) });
    expect(before.campaigns.map((c) => [c.campaignId, c.customer?.id, c.touches.length])).toEqual([['spring-2027', 'C0001', 1]]);
    expect(erased).toMatchObject({ stdout: expect.stringContaining('erased customer C0001 in') });
    expect((erased as { stdout: string }).stdout).toContain('3 records deleted in spring-2027');
    expect(JSON.parse((after as { stdout: string }).stdout)).toMatchObject({ customerId: 'C0001', campaigns: [], addresses: [] });
  });
});
