import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, type Harness, startHarness } from '../../local/harness.js';
import type { OutboxEntry } from '../../local/outbox.js';

// Rulebook section 5 on the real lifecycle definition, handlers and DynamoDB Local: a reply raises a
// ticket; the test plays the customers and the managers (through the links in their e-mails).
const HOUR = 3600_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      customer({ id: 'ignored', accountManager: 'am.ignored@example.com', managerChain: ['lead.ignored@example.com'] }),
      customer({ id: 'fixed', accountManager: 'am.fixed@example.com' }),
      customer({ id: 'unfixed', accountManager: 'am.unfixed@example.com' }),
    ],
    // Equal spends make everyone a core customer: contact them by SMS first, without the call task.
    { segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } } },
  );
});
afterAll(async () => {
  await h?.stop();
});

const finished = (customerId: string) => h.finished(customerId);

const escalationTo = (customerId: string, to: string) => (m: OutboxEntry) =>
  m.customerId === customerId && m.kind === 'escalation' && m.to === to;

/** The ticket the customer's first touch raised. */
const ticketOf = (customerId: string) => h.runtime.repo.getTicket({ campaignId: h.campaignId, customerId, touch: 1 });

describe('tickets on the local engine', () => {
  it('e-mails a detractor reply to the account manager at once, and climbs the chain while nobody acknowledges it', async () => {
    // Prepare
    const execution = h.startLifecycle('ignored');
    const sms = await h.nextMessage('ignored');

    // Act: the customer answers 1; nobody ever clicks a link
    const repliedAt = h.runtime.clock.now().getTime();
    await h.replyBySms(sms, '1，客服一直不回电话');
    await finished('ignored');

    // Assess: the account manager heard within minutes, not at the end of a wait
    const first = h.messages.find(escalationTo('ignored', 'am.ignored@example.com'));
    expect(first?.subject).toContain('B级工单');
    expect(Date.parse(first?.sentAt ?? '') - repliedAt).toBeLessThan(HOUR);
    // then, a day apart (severity B: 24 h), the customer's own lead, the department head, the executive
    const chain = h.messages.filter((m) => m.customerId === 'ignored' && m.kind === 'escalation').map((m) => m.to);
    expect(chain).toEqual([
      'am.ignored@example.com',
      'lead.ignored@example.com',
      'service-head@example.com',
      'cx-director@example.com',
    ]);
    const ticket = await ticketOf('ignored');
    expect(ticket).toMatchObject({ severity: 'B', status: 'open', breached: true, level: 3, owner: 'cx-director@example.com' });
    expect(ticket?.climbs.map((c) => Date.parse(c.at) - Date.parse(ticket.createdAt))).toEqual([
      expect.closeTo(24 * HOUR, -7),
      expect.closeTo(48 * HOUR, -7),
      expect.closeTo(72 * HOUR, -7),
    ]);
    expect(execution.visited).toContain('LeaveOpen');
  });

  it('asks the customer within 3 days of the fix whether it is solved, and closes the ticket on "1"', async () => {
    // Prepare
    h.startLifecycle('fixed');
    await h.replyBySms(await h.nextMessage('fixed'), '2');
    const mail = await h.nextMessage('fixed', escalationTo('fixed', 'am.fixed@example.com'));

    // Act: the manager acknowledges, then resolves; the customer confirms
    expect((await h.actOnTicket(mail, 'acknowledge')).statusCode).toBe(200);
    const resolvedAt = h.runtime.clock.now().getTime();
    await h.actOnTicket(mail, 'resolve');
    const question = await h.nextMessage('fixed', (m) => m.template.startsWith('confirm-'));
    await h.replyBySms(question, '1');
    await finished('fixed');

    // Assess
    expect(question.body).toContain('回复1=已解决');
    expect(Date.parse(question.sentAt) - resolvedAt).toBeLessThan(3 * 24 * HOUR);
    expect(await ticketOf('fixed')).toMatchObject({ status: 'closed', confirmation: 'solved', breached: false });
    expect(h.messages.filter(escalationTo('fixed', 'am.fixed@example.com'))).toHaveLength(1);
  });

  it('reopens the ticket when the customer says it is not solved, and tells the account manager again', async () => {
    // Prepare
    h.startLifecycle('unfixed');
    await h.replyBySms(await h.nextMessage('unfixed'), '1');
    const mail = await h.nextMessage('unfixed', escalationTo('unfixed', 'am.unfixed@example.com'));
    await h.actOnTicket(mail, 'resolve');
    const question = await h.nextMessage('unfixed', (m) => m.template.startsWith('confirm-'));

    // Act: not solved; the manager resolves it again and this time it is
    await h.replyBySms(question, '2');
    const again = await h.nextMessage(
      'unfixed',
      (m) => escalationTo('unfixed', 'am.unfixed@example.com')(m) && m.messageId !== mail.messageId,
    );
    expect(await ticketOf('unfixed')).toMatchObject({ status: 'reopened', confirmation: 'not-solved', reopened: 1 });
    await h.actOnTicket(again, 'resolve');
    const second = await h.nextMessage('unfixed', (m) => m.template.startsWith('confirm-') && m.messageId !== question.messageId);
    await h.replyBySms(second, '1');
    await finished('unfixed');

    // Assess
    expect(again.body).toContain('仍未解决');
    expect(second.touch).toBeGreaterThan(question.touch);
    expect(await ticketOf('unfixed')).toMatchObject({ status: 'closed', confirmation: 'solved', reopened: 1 });
  });

  it('refuses a second click on a handled ticket and changes nothing', async () => {
    const mail = h.messages.find(escalationTo('fixed', 'am.fixed@example.com')) as OutboxEntry;

    const response = await h.actOnTicket(mail, 'resolve');

    expect(response.body).toContain('此工单已处理过');
    expect(await ticketOf('fixed')).toMatchObject({ status: 'closed' });
  });
});

describe('a ticket followed by a resumed run', () => {
  let r: Harness;
  beforeAll(async () => {
    r = await startHarness(
      [customer({ id: 'resumed', accountManager: 'am.resumed@example.com', managerChain: ['lead.resumed@example.com'] })],
      { segments: { core: { channels: ['sms', 'email'], accountManagerTask: false } } },
    );
  });
  afterAll(async () => {
    await r?.stop();
  });

  it('still climbs the chain when nobody acknowledges: the SLA is read from the ticket the resumed run picks up', async () => {
    // Prepare: a detractor's ticket is open; the run stops (its engine forgets the execution)
    const first = r.startLifecycle('resumed');
    await r.replyBySms(await r.nextMessage('resumed'), '1');
    await r.nextMessage('resumed', escalationTo('resumed', 'am.resumed@example.com'));
    while (!first.visited.includes('AwaitAcknowledgement')) await r.runtime.clock.sleepVirtual(1000);
    r.runtime.engine.stopExecution(first.executionArn);
    r.runtime.engine.executions.delete(first.executionArn);

    // Act: a resumed run starts the lifecycle again: Plan finds the open ticket (ResumeTicket, a Pass state)
    const resumed = r.startLifecycle('resumed');
    const climbed = await r.nextMessage('resumed', escalationTo('resumed', 'lead.resumed@example.com'));

    // Assess: the acknowledgement wait timed out on the virtual clock a day (severity B) after the ticket
    const ticket = await r.runtime.repo.getTicket({ campaignId: r.campaignId, customerId: 'resumed', touch: 1 });
    expect(resumed.visited.slice(0, 4)).toEqual(['Plan', 'IsReachable', 'ResumeTicket', 'AwaitAcknowledgement']);
    expect(resumed.visited).toContain('ClimbChain');
    expect(Date.parse(climbed.sentAt) - Date.parse(ticket?.createdAt ?? '')).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
  });
});
