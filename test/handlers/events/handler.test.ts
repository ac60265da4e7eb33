import type { EventBridgeEvent } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CustomerEvent } from '../../../functions/core/events.js';
import { segmentationSchema } from '../../../functions/core/schemas.js';
import { importProfile } from '../../../functions/core/use-cases/profiles.js';
import { launchProgram, type ProgramDeps } from '../../../functions/core/use-cases/programs.js';
import { MAX_EVENTS_PER_BATCH } from '../../../functions/core/use-cases/take-events.js';
import { buildEventsHandler, CUSTOMER_EVENT_DETAIL_TYPE, type EventsSummary } from '../../../functions/events/handler.js';
import { logger } from '../../../functions/shared/logger.js';
import { FixedClock, InMemoryCampaignRepository, InMemoryProfileStore, InMemoryProgramStore } from '../../support/fakes/index.js';
import { CUTOFFS, customerOf, NOW } from '../../support/fixtures.js';
import { httpEvent, lambdaContext, silenceLogs } from '../../support/handlers.js';
import { purchase, testProgram } from '../../support/programs.js';

const RULES = segmentationSchema.parse({});
const context = lambdaContext('events');

let profiles: InMemoryProfileStore;
let programs: InMemoryProgramStore;
let deps: ProgramDeps;
let handler: ReturnType<typeof buildEventsHandler>;

beforeAll(() => {
  silenceLogs();
});

beforeEach(async () => {
  profiles = new InMemoryProfileStore();
  programs = new InMemoryProgramStore();
  deps = { repo: new InMemoryCampaignRepository(), programs, profiles, events: profiles, clock: new FixedClock(NOW) };
  handler = buildEventsHandler(deps, { rules: RULES });
  await importProfile({ profiles }, customerOf({ id: 'C0001' }), CUTOFFS, RULES, NOW);
});

/** `POST /events` with `body` as it is sent. */
async function post(body: string): Promise<{ statusCode: number; body: unknown }> {
  const response = await handler(httpEvent({ routeKey: 'POST /events', body, contentType: 'application/json' }), context);
  if (!('statusCode' in response)) throw new Error('an HTTP request was answered as an EventBridge event');
  return { statusCode: response.statusCode ?? 0, body: JSON.parse(String(response.body)) };
}

/** What EventBridge delivers to the rule's target for one customer event. */
function busEvent(detail: unknown): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: 'eventbridge-1',
    'detail-type': CUSTOMER_EVENT_DETAIL_TYPE,
    source: 'revisit.customers',
    account: '000000000000',
    time: NOW,
    region: 'eu-west-1',
    resources: [],
    detail,
  };
}

const complaint: CustomerEvent = {
  id: 'E-complaint',
  customerId: 'C0001',
  type: 'complaint',
  text: 'my parcel never came, call me on +8613800138000',
  at: '2026-12-15T10:00:00+08:00',
};

describe('POST /events', () => {
  it('takes a batch event by event: taken, duplicate, and rejected with a reason, answered 200', async () => {
    // Prepare
    const first = purchase('E1', 'C0001', '2026-12-15T10:00:00+08:00');
    const batch = [
      first,
      { ...first },
      { id: 'E2', customerId: 'C0001', type: 'purchase', at: 'yesterday' },
      purchase('E3', 'C9999', NOW),
    ];

    // Act
    const response = await post(JSON.stringify(batch));

    // Assess
    expect(response.statusCode).toBe(200);
    const summary = response.body as EventsSummary;
    expect({ taken: summary.taken, duplicate: summary.duplicate, rejected: summary.rejected }).toEqual({
      taken: 1,
      duplicate: 1,
      rejected: 2,
    });
    expect(summary.results.map(({ index, id, outcome }) => [index, id, outcome])).toEqual([
      [0, 'E1', 'taken'],
      [1, 'E1', 'duplicate'],
      [2, 'E2', 'rejected'],
      [3, 'E3', 'rejected'],
    ]);
    expect(summary.results[2]?.reason).toBe(
      'at: an ISO 8601 time with an offset, like 2026-12-20T10:30:00+08:00; orderId: required; amount: required',
    );
    expect(summary.results[3]?.reason).toBeTruthy();
    expect(profiles.events.has('E1')).toBe(true);
  });

  it('takes {"events": [...]} as well as a bare list', async () => {
    const response = await post(JSON.stringify({ events: [purchase('E1', 'C0001', NOW)] }));

    expect(response).toMatchObject({ statusCode: 200, body: { taken: 1, duplicate: 0, rejected: 0 } });
  });

  it('never echoes what a rejected event carried', async () => {
    const response = await post(JSON.stringify([{ ...complaint, phone: '+8613800138000' }]));

    expect(response.statusCode).toBe(200);
    expect(JSON.stringify(response.body)).not.toContain('8613800138000');
    expect(JSON.stringify(response.body)).toContain('unknown field phone');
  });

  it('refuses more than 100 events in one request with 413, taking none of them', async () => {
    const batch = Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => purchase(`E${i}`, 'C0001', NOW));

    const response = await post(JSON.stringify(batch));

    expect(response).toEqual({
      statusCode: 413,
      body: { error: '101 events in one request: at most 100, send the rest in further requests' },
    });
    expect(profiles.events.size).toBe(0);
  });

  it.each([
    ['a body that is not JSON', '{"events": [', /not valid JSON/],
    ['an object without a list of events', '{"event": {}}', /JSON list of events, or \{"events": \[\.\.\.\]\}/],
    ['a string', '"purchase"', /JSON list of events/],
  ])('refuses %s with 400 and says what a batch is', async (_what, body, message) => {
    const response = await post(body);

    expect(response.statusCode).toBe(400);
    expect((response.body as { error: string }).error).toMatch(message);
  });

  it('puts a purchasing customer on the due list of every running program', async () => {
    // Prepare: a program whose purchase trigger follows up 3 days later
    const program = testProgram({ triggers: [{ on: 'purchase', after: ['3d'] }] });
    await launchProgram(deps, program, { from: '2026-12-01', months: 12 });

    // Act
    await post(JSON.stringify([purchase('E1', 'C0001', '2026-12-16T09:00:00+08:00')]));

    // Assess
    const due = [...(programs.due.get(program.id)?.entries() ?? [])].filter(([, customers]) => customers.has('C0001'));
    expect(due.length).toBeGreaterThan(0);
  });

  it('answers 500 when the table fails, so that the caller sends the batch again', async () => {
    vi.spyOn(profiles, 'getProfile').mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));

    const response = await post(JSON.stringify([purchase('E1', 'C0001', NOW)]));

    expect(response).toEqual({ statusCode: 500, body: { error: 'the events could not be stored: send the batch again' } });
  });
});

describe('customer events from EventBridge', () => {
  it('takes the detail as one event', async () => {
    const summary = (await handler(busEvent(purchase('E1', 'C0001', NOW)), context)) as EventsSummary;

    expect(summary).toMatchObject({ taken: 1, rejected: 0 });
    expect(profiles.events.get('E1')?.appliedAt).toBe(NOW);
  });

  it('logs why an event was rejected, never what it carried, and succeeds so that it is not retried', async () => {
    // Prepare
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const summary = (await handler(busEvent({ ...complaint, amount: 5 }), context)) as EventsSummary;

    // Assess
    expect(summary).toMatchObject({ taken: 0, rejected: 1 });
    expect(warn).toHaveBeenCalledWith('customer event rejected', {
      via: 'eventbridge',
      index: 0,
      eventId: 'E-complaint',
      reason: 'unknown field amount',
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('parcel');
    warn.mockRestore();
  });

  it('throws when the table fails, so that EventBridge retries and then keeps it in the dead-letter queue', async () => {
    vi.spyOn(profiles, 'recordEvent').mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));

    await expect(handler(busEvent(purchase('E1', 'C0001', NOW)), context)).rejects.toThrow(
      'ProvisionedThroughputExceededException',
    );
  });
});
