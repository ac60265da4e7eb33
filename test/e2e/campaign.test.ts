import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../files/campaign-file.js';
import type { LifecycleRecord, TicketRecord, TouchRecord } from '../../functions/core/records.js';
import type { Campaign } from '../../functions/core/schemas.js';
import { statesOf } from '../../local/engine.js';
import { readJsonLines } from '../../local/harness.js';
import type { OutboxEntry } from '../../local/outbox.js';
import { type RunResult, runCampaign } from '../../local/run-campaign.js';
import { LIFECYCLE_ARN } from '../../local/runtime.js';
import { personaOf } from '../../local/simulator.js';

// A whole campaign of 20 customers (and one bad row) through `revisit run`'s code path: DynamoDB Local,
// the synthesized state machines on the local engine, the outbox and the seeded reply simulator.
const SEED = 7;
const outDir = mkdtempSync(join(tmpdir(), 'revisit-e2e-'));
let result: RunResult;
let lifecycles: LifecycleRecord[];
let touches: TouchRecord[];
let tickets: TicketRecord[];
let outbox: OutboxEntry[];
let knownStates: Set<string>;
let campaign: Campaign;

beforeAll(async () => {
  campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');
  result = await runCampaign({
    customersFile: 'test/fixtures/customers-20.csv',
    campaign,
    outDir,
    replies: 'simulate',
    seed: SEED,
    timeScale: Number.POSITIVE_INFINITY,
    dataDir: null,
    inspect: async (runtime) => {
      lifecycles = await runtime.repo.listLifecycles(campaign.id);
      touches = await runtime.repo.listTouches(campaign.id);
      tickets = await runtime.repo.listTickets(campaign.id);
      knownStates = new Set(statesOf(runtime.engine.definitionOf(LIFECYCLE_ARN)).keys());
    },
  });
  outbox = await readJsonLines<OutboxEntry>(join(outDir, 'outbox.jsonl'));
});

describe('a 20-customer campaign on the local engine', () => {
  it('imports the 20 good rows and rejects the bad one with its line and reason', () => {
    expect(result.summary.customers).toBe(20);
    expect(result.rejected).toContainEqual(
      expect.objectContaining({ line: 22, id: 'C9999', column: 'phone', reason: 'not a valid phone number', action: 'rejected' }),
    );
    expect(readFileSync(join(outDir, 'rejected.csv'), 'utf8')).toContain('22,C9999,phone,not a valid phone number,rejected');
  });

  it('ends every lifecycle in a final state that is kept in the table', () => {
    expect(lifecycles).toHaveLength(20);
    for (const lifecycle of lifecycles) {
      expect(['skipped', 'replied', 'opted-out', 'no-response', 'escalated', 'suppressed']).toContain(lifecycle.status);
      expect(lifecycle.finishedAt).not.toBeNull();
    }
  });

  it('writes every message sent to the outbox with the fields the contract names', () => {
    expect(outbox.length).toBeGreaterThan(0);
    for (const message of outbox) {
      expect(message).toEqual(
        expect.objectContaining({
          customerId: expect.any(String),
          channel: expect.stringMatching(/^(sms|email)$/),
          to: expect.any(String),
          template: expect.any(String),
          body: expect.any(String),
          sentAt: expect.stringMatching(/[+-]\d\d:\d\d$/),
          touch: expect.any(Number),
        }),
      );
    }
  });

  it("sends each touch once, and only inside the customer's 09:00-20:00 contact window", () => {
    const touchMessages = outbox.filter((m) => m.kind === 'touch');
    const keys = touchMessages.map((m) => `${m.customerId}#${m.touch}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const message of touchMessages) {
      const hour = DateTime.fromISO(message.sentAt, { setZone: true }).hour;
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(20);
    }
    // The table's record of each sent touch carries the provider message id the outbox shows.
    const ids = new Set(touchMessages.map((m) => m.messageId));
    for (const touch of touches) expect(ids).toContain(touch.messageId);
    expect(touches).toHaveLength(touchMessages.length);
  });

  it('follows each simulated persona: answers resume the lifecycle, silence ends in no response', () => {
    for (const lifecycle of lifecycles.filter((l) => l.status !== 'skipped')) {
      const persona = personaOf(SEED, lifecycle.customerId);
      const sent = touches.filter((t) => t.customerId === lifecycle.customerId);
      if (persona === 'silent') {
        // The tier's touches (rulebook section 1: two for diamond and silver, one for gold and basic), then its rule.
        const survey = sent.filter((t) => !t.template.startsWith('care-'));
        expect(lifecycle.outcome).toBe('no-response');
        expect(survey).toHaveLength(Math.min(campaign.maxTouches, campaign.tiers[lifecycle.tier].unansweredTouches));
        if (survey.length === 2 && lifecycle.channels.length === 2) expect(new Set(survey.map((t) => t.channel)).size).toBe(2);
        expect(lifecycle.noResponseRule).toBe(campaign.tiers[lifecycle.tier].noResponseRule);
      }
      if (persona === 'satisfied') expect(lifecycle.csat ?? 0).toBeGreaterThanOrEqual(4);
      if (persona === 'unhappy') expect(lifecycle.escalated || lifecycle.status === 'opted-out').toBe(true);
    }
  });

  it("e-mails every new ticket to the customer's own account manager first", async () => {
    const escalated = lifecycles.filter((l) => l.escalated);
    expect(tickets.map((t) => t.customerId).sort()).toEqual(escalated.map((l) => l.customerId).sort());
    const firsts = tickets.map(
      (t) => outbox.find((m) => m.kind === 'escalation' && m.customerId === t.customerId) as OutboxEntry,
    );
    const csv = readFileSync('test/fixtures/customers-20.csv', 'utf8');
    for (const message of firsts) {
      const row = csv.split('\n').find((line) => line.startsWith(`${message.customerId},`)) ?? '';
      expect(row).toContain(message.to);
    }
  });

  it("sends each contacted core and churn-warning customer's account manager one call/visit task", () => {
    const contacted = new Set(touches.map((t) => t.customerId));
    const expected = lifecycles.filter((l) => l.accountManagerTask && contacted.has(l.customerId)).map((l) => l.customerId);
    const tasks = outbox.filter((m) => m.kind === 'account-manager-task');
    expect(expected.length).toBeGreaterThan(0);
    expect(tasks.map((m) => m.customerId).sort()).toEqual(expected.sort());
    const csv = readFileSync('test/fixtures/customers-20.csv', 'utf8');
    for (const task of tasks) {
      const row = csv.split('\n').find((line) => line.startsWith(`${task.customerId},`)) ?? '';
      expect(row).toContain(task.to);
    }
    expect(result.summary.accountManagerTasks).toBe(tasks.length);
  });

  it('writes summary.json with the counts the contract names, consistent with the table', async () => {
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));
    for (const key of [
      'customers',
      'contacted',
      'messages',
      'replied',
      'responseRate',
      'csat',
      'nps',
      'escalations',
      'optOuts',
      'noResponse',
    ]) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary.messages.sms + summary.messages.email).toBe(outbox.filter((m) => m.kind === 'touch').length);
    expect(summary.escalations).toBe(tickets.length);
    expect(summary.tickets.open + summary.tickets.resolved).toBe(tickets.length);
    expect(summary.tickets.breached).toBe(tickets.filter((t) => t.breached).length);
    for (const severity of ['A', 'B', 'C']) {
      const raised = tickets.filter((t) => t.severity === severity).length;
      expect(summary.bySeverity[severity].open + summary.bySeverity[severity].resolved).toBe(raised);
    }
    expect(summary.noResponse).toBe(lifecycles.filter((l) => l.outcome === 'no-response').length);
    expect(result.simulatorErrors).toEqual([]);
    const replies = await readJsonLines<{ kind: string; touch: number | null; late: boolean }>(join(outDir, 'replies.jsonl'));
    expect(replies.length).toBeGreaterThanOrEqual(summary.replied);
    for (const reply of replies) expect(['score', 'optout', 'text', 'survey']).toContain(reply.kind);
  });

  it('writes the report: HTML with a chart per figure and no network, JSON consistent with summary.json, CSV exports', () => {
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8'));

    expect((html.match(/<figure/g) ?? []).length).toBe((html.match(/<svg/g) ?? []).length);
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(report.totals).toMatchObject({ planned: summary.planned, contacted: summary.contacted });
    expect(report.tickets).toMatchObject({ raised: tickets.length, breached: summary.tickets.breached });
    expect(readFileSync(join(outDir, 'report-by-tier.csv'), 'utf8').split('\n')[0]).toContain('tier');
  });

  it('visits only states of the deployed lifecycle definition', () => {
    expect(result.lifecycleVisits).toHaveLength(20);
    for (const visited of result.lifecycleVisits) for (const state of visited) expect(knownStates).toContain(state);
  });
});
