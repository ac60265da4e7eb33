import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowFile } from '../../infra/workflow-files.js';
import { lambdaContext, loadDefinition, statesOf } from '../../local/engine.js';
import { customer, type Harness, startHarness } from '../../local/harness.js';
import { LIFECYCLE_ARN, localSubstitutions } from '../../local/runtime.js';

// Named scenarios on the real lifecycle definition (workflows/lifecycle.asl.json), the real handlers
// and DynamoDB Local: the test plays the customer.
const customers = [
  customer({ id: 'happy' }),
  customer({ id: 'detractor', accountManager: 'am.detractor@example.com' }),
  customer({ id: 'silent' }),
  customer({ id: 'unreachable', smsConsent: false, emailConsent: false }),
  customer({ id: 'optout', phone: '+8613900139000' }),
  customer({ id: 'duplicate' }),
  customer({ id: 'whale', spend12m: 1_000_000 }),
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness(customers);
});
afterAll(async () => {
  await h?.stop();
});

const finished = (customerId: string) => h.finished(customerId);

describe('lifecycle state machine on the local engine', () => {
  it('runs the definition CDK deploys: the same file, with only the placeholders substituted', () => {
    const file = JSON.parse(readFileSync(workflowFile('lifecycle'), 'utf8'));
    const running = h.runtime.engine.definitionOf(LIFECYCLE_ARN);
    expect(Object.keys(running.States)).toEqual(Object.keys(file.States));
    expect(JSON.stringify(running)).toEqual(JSON.stringify(loadDefinition('lifecycle', localSubstitutions())));
    expect(JSON.stringify(running)).not.toContain('${');
  });

  it('happy path: contacts by SMS, resumes on the reply "5" and closes without escalation', async () => {
    const execution = h.startLifecycle('happy');
    const sms = await h.nextMessage('happy');
    expect(sms).toMatchObject({ channel: 'sms', touch: 1, to: customers[0]?.phone, template: 'sms/zh-CN' });
    await h.replyBySms(sms, '5');
    await finished('happy');

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.visited).toEqual([
      'Plan',
      'IsReachable',
      'WaitForSendWindow',
      'Contact',
      'AwaitResponse',
      'Evaluate',
      'NeedsEscalation',
      'Done',
    ]);
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'happy');
    expect(lifecycle).toMatchObject({ status: 'replied', outcome: 'replied', csat: 5, escalated: false });
  });

  it('escalates a detractor to the account manager by e-mail', async () => {
    const execution = h.startLifecycle('detractor');
    const sms = await h.nextMessage('detractor');
    await h.replyBySms(sms, '1');
    await finished('detractor');

    expect(execution.visited).toContain('Escalate');
    const escalation = h.messages.find((m) => m.kind === 'escalation' && m.customerId === 'detractor');
    expect(escalation).toMatchObject({ channel: 'email', to: 'am.detractor@example.com' });
    expect(escalation?.subject).toContain('B级工单');
    expect(escalation?.subject).toContain('low CSAT (1/5)');
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'detractor');
    expect(lifecycle).toMatchObject({ status: 'escalated', escalated: true, csat: 1 });
  });

  it('re-contacts an unanswered customer once on the other channel, then records no response', async () => {
    const execution = h.startLifecycle('silent');
    await finished('silent');

    const sent = h.messages.filter((m) => m.customerId === 'silent');
    expect(sent.map((m) => [m.touch, m.channel])).toEqual([
      [1, 'sms'],
      [2, 'email'],
    ]);
    expect(execution.visited).toEqual(
      expect.arrayContaining(['AwaitResponse', 'NoResponse', 'PlanRecontact', 'EvaluateNoResponse', 'Done']),
    );
    expect(
      execution.visited.filter((s) => s === 'Contact'),
      execution.visited.join(' > '),
    ).toHaveLength(2);
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'silent');
    expect(lifecycle).toMatchObject({ status: 'no-response', outcome: 'no-response' });
    const first = await h.runtime.repo.getTouch({ campaignId: h.campaignId, customerId: 'silent', touch: 1 });
    expect(first?.status).toBe('unanswered');
    // The second touch waited for the reply timeout (48 h by default) of the first.
    const gap = Date.parse(sent[1]?.sentAt ?? '') - Date.parse(sent[0]?.sentAt ?? '');
    expect(gap).toBeGreaterThanOrEqual(48 * 3600 * 1000);
  });

  it('skips a customer who consented to no channel, with the reason', async () => {
    const execution = h.startLifecycle('unreachable');
    await finished('unreachable');

    expect(execution.visited).toEqual(['Plan', 'IsReachable', 'Skipped']);
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'unreachable');
    expect(lifecycle?.skip).toBe('not reachable: no sms consent, no email consent');
    expect(h.messages.filter((m) => m.customerId === 'unreachable')).toHaveLength(0);
  });

  it('honours 退订: the number goes on the suppression list and the lifecycle ends opted out', async () => {
    h.startLifecycle('optout');
    const sms = await h.nextMessage('optout');
    await h.replyBySms(sms, '退订');
    await finished('optout');

    expect(await h.runtime.repo.isSuppressed('sms', '+8613900139000')).toBe(true);
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'optout');
    expect(lifecycle).toMatchObject({ status: 'opted-out', escalated: false });
  });

  it('keeps a second answer as a duplicate and never sends a touch twice on a re-run', async () => {
    const execution = h.startLifecycle('duplicate');
    const sms = await h.nextMessage('duplicate');
    await h.replyBySms(sms, '4', 'inbound-1');
    await h.replyBySms(sms, '2', 'inbound-2');
    await h.replyBySms(sms, '4', 'inbound-1'); // SNS redelivers the first one
    await finished('duplicate');

    // A re-run of the launch starts no second execution, and a retried Contact sends nothing.
    expect(h.startLifecycle('duplicate')).toBe(execution);
    const retried = await h.runtime.handlers.contact(
      { campaignId: h.campaignId, customerId: 'duplicate', touch: 1, channel: 'sms' },
      lambdaContext('revisit-contact'),
    );
    expect(retried).toMatchObject({ status: 'already-sent' });
    expect(h.messages.filter((m) => m.customerId === 'duplicate')).toHaveLength(1);
    const replies = (await h.runtime.repo.listReplies(h.campaignId)).filter((r) => r.customerId === 'duplicate');
    expect(replies.map((r) => [r.value, r.duplicate]).sort()).toEqual([
      [2, true],
      [4, false],
    ]);
    const lifecycle = await h.runtime.repo.getLifecycle(h.campaignId, 'duplicate');
    expect(lifecycle?.csat).toBe(4);
  });

  it('fails a lifecycle whose Plan fails for good, with the reason in its execution and no partial record', async () => {
    const execution = h.startLifecycle('nobody');
    await finished('nobody');

    expect(execution.status).toBe('FAILED');
    expect(execution.visited).toEqual(['Plan', 'RecordFailure', 'LifecycleFailed']);
    expect(execution.stateInputs.get('RecordFailure')).toMatchObject({ error: { Error: 'NotFoundError' } });
    const { Item } = await h.runtime.ddb.client.send(
      new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({
        TableName: 'revisit',
        Key: { pk: { S: `CAMPAIGN#${h.campaignId}` }, sk: { S: 'LIFECYCLE#nobody' } },
      }),
    );
    expect(Item).toBeUndefined();
  });

  it('visits only states that the deployed definition has', () => {
    const known = new Set(statesOf(h.runtime.engine.definitionOf(LIFECYCLE_ARN)).keys());
    for (const execution of h.runtime.engine.executions.values()) {
      for (const state of execution.visited) expect(known).toContain(state);
    }
  });
});

describe('a late answer', () => {
  it('resumes the re-contact that waits when the customer answers the first touch after its timeout', async () => {
    const late = customer({ id: 'late' });
    await h.runtime.repo.putCustomers(h.campaignId, [late]);
    const execution = h.startLifecycle('late');
    const sms = await h.nextMessage('late', (m) => m.touch === 1);
    await h.nextMessage('late', (m) => m.touch === 2); // the 48-hour timeout passed: the e-mail re-contact went out
    await h.replyBySms(sms, '5');
    await finished('late');

    expect(execution.visited.filter((s) => s === 'Contact')).toHaveLength(2);
    expect(execution.visited).toContain('Evaluate');
    expect(await h.runtime.repo.getLifecycle(h.campaignId, 'late')).toMatchObject({ status: 'replied', csat: 5 });
    const reply = (await h.runtime.repo.listReplies(h.campaignId)).find((r) => r.customerId === 'late');
    expect(reply).toMatchObject({ touch: 1, late: true, resumed: true, duplicate: false });
  });
});
