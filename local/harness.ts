import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type CampaignInput, type Customer, campaignSchema, customerSchema } from '../functions/core/schemas.js';
import { tierCutoffsOf } from '../functions/core/segmentation.js';
import { type LocalExecution, lambdaContext } from './engine.js';
import { smsReplyEvent } from './inbound-events.js';
import type { OutboxEntry } from './outbox.js';
import { LIFECYCLE_ARN, type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from './runtime.js';
import { VirtualClock } from './virtual-clock.js';

/** 2026-12-16 08:00 in Shanghai: the first morning of the default campaign window. */
const CAMPAIGN_START = new Date('2026-12-16T00:00:00Z');

export interface Harness {
  runtime: LocalRuntime;
  outDir: string;
  campaignId: string;
  messages: OutboxEntry[];
  /** Starts one lifecycle execution, as the campaign fan-out would. */
  startLifecycle(customerId: string): ReturnType<LocalRuntime['engine']['startExecution']>;
  /** Resolves with the next outbox message for a customer (waits for it). */
  nextMessage(customerId: string, predicate?: (m: OutboxEntry) => boolean): Promise<OutboxEntry>;
  /** Answers an SMS through the inbound-SMS handler, as a two-way origination number would deliver it. */
  replyBySms(message: OutboxEntry, text: string, inboundMessageId?: string): Promise<unknown>;
  /** Resolves once the customer's lifecycle execution has ended. */
  finished(customerId: string): Promise<LocalExecution>;
  /** A manager clicks a button on the ticket page their e-mail links to (POST, through reply-api). */
  actOnTicket(message: OutboxEntry, action: 'acknowledge' | 'resolve'): Promise<APIGatewayProxyStructuredResultV2>;
  stop(): Promise<void>;
}

/** A distinct, valid mainland mobile number per id, so that no two test customers share a contact history. */
function phoneOf(id: string): string {
  const digits = String(createHash('sha256').update(id).digest().readUInt32BE(0) % 100_000_000).padStart(8, '0');
  return `+86138${digits}`;
}

export function customer(overrides: Partial<Customer> & { id: string }): Customer {
  return customerSchema.parse({
    name: overrides.id === 'zh' ? '王芳' : 'Test Customer',
    phone: phoneOf(overrides.id),
    email: `${overrides.id.toLowerCase()}@example.com`,
    accountManager: 'manager@example.com',
    lastPurchaseAt: '2026-11-01T10:00:00+08:00',
    firstPurchaseAt: '2025-01-01T10:00:00+08:00',
    orders12m: 5,
    spend12m: 1000,
    spendPrev3m: 200,
    spendLast3m: 210,
    ...overrides,
  });
}

/**
 * A local runtime with DynamoDB Local in memory, a campaign and its customers stored, and the outbox
 * observed: lifecycles are started one by one and answered by the test itself.
 *
 * The clock is event-driven by default (`revisit run --time-scale max`): waiting out days costs no wall
 * time. The test answers from outside the clock, so the harness holds the clock for it, as work in
 * flight (virtual time at wall-clock speed), from the moment a message it waits for is sent until it
 * waits again (nextMessage with nothing yet to give, finished, an execution's result): a reply the test
 * sends at once comes within seconds of the message, not after the timeout the clock would jump to. A
 * `scale` (a number) gives the scaled clock instead, for tests that watch time run.
 */
export async function startHarness(
  customers: Customer[],
  campaign: Partial<CampaignInput> = {},
  scale = Number.POSITIVE_INFINITY,
  options: Pick<LocalRuntimeOptions, 'wrapProviders'> = {},
): Promise<Harness> {
  const outDir = mkdtempSync(join(tmpdir(), 'revisit-test-'));
  const clock = new VirtualClock(CAMPAIGN_START, scale);
  // Event-driven clock only: the test's turn (see above), held as one piece of work in flight.
  let endTestTurn: (() => void) | null = null;
  const takeTestTurn = () => {
    if (!clock.eventDriven || endTestTurn) return;
    void clock.track(
      () =>
        new Promise<void>((resolve) => {
          endTestTurn = resolve;
        }),
    );
  };
  const views = new WeakMap<LocalExecution, LocalExecution>();
  const waitsForTheRun = () => {
    const end = endTestTurn;
    endTestTurn = null;
    end?.();
  };
  const runtime = await startLocalRuntime({ outDir, dataDir: null, clock, ...options });
  const parsed = campaignSchema.parse({ id: 'test-campaign', name: 'Test campaign', ...campaign });
  await runtime.repo.putCampaign({
    campaignId: parsed.id,
    campaign: parsed,
    cutoffs: tierCutoffsOf(
      customers.map((c) => c.spend12m),
      parsed.segmentation,
    ),
    status: 'running',
    createdAt: clock.now().toISOString(),
    customerCount: customers.length,
  });
  await runtime.repo.putCustomers(parsed.id, customers);
  const messages: OutboxEntry[] = [];
  const waiters: { customerId: string; predicate: (m: OutboxEntry) => boolean; resolve: (m: OutboxEntry) => void }[] = [];
  runtime.outbox.onMessage((entry) => {
    messages.push(entry);
    for (const waiter of [...waiters]) {
      if (waiter.customerId === entry.customerId && waiter.predicate(entry)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        takeTestTurn();
        waiter.resolve(entry);
      }
    }
  });
  return {
    runtime,
    outDir,
    campaignId: parsed.id,
    messages,
    startLifecycle: (customerId) => {
      const execution = runtime.engine.startExecution(LIFECYCLE_ARN, `${parsed.id}-${customerId}`, {
        campaignId: parsed.id,
        customerId,
      });
      // Awaiting the result is waiting for the run: the test's turn ends. One view per execution, so that
      // a second start that returns the same execution returns the same object.
      let view = views.get(execution);
      if (!view) {
        view = new Proxy(execution, {
          get: (target, property, receiver) => {
            if (property === 'result') waitsForTheRun();
            return Reflect.get(target, property, receiver);
          },
        });
        views.set(execution, view);
      }
      return view;
    },
    nextMessage: (customerId, predicate = () => true) => {
      const seen = messages.find((m) => m.customerId === customerId && predicate(m));
      if (seen) return Promise.resolve(seen);
      waitsForTheRun();
      return new Promise((resolve) => waiters.push({ customerId, predicate, resolve }));
    },
    replyBySms: (message, text, inboundMessageId = crypto.randomUUID()) =>
      runtime.handlers['inbound-sms'](
        smsReplyEvent(message.messageId, message.to, text, clock.now().toISOString(), inboundMessageId),
        lambdaContext('revisit-inbound-sms'),
      ),
    finished: async (customerId) => {
      const execution = [...runtime.engine.executions.values()].find((e) => e.name.endsWith(`-${customerId}`));
      if (!execution) throw new Error(`no execution for ${customerId}`);
      waitsForTheRun();
      await execution.result;
      return execution;
    },
    actOnTicket: async (message, action) => {
      const token = /\/t\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(message.body)?.[1];
      if (!token) throw new Error('no ticket link in the e-mail');
      return (await runtime.handlers['reply-api'](
        {
          version: '2.0',
          routeKey: 'POST /t/{token}',
          rawPath: `/t/${token}`,
          rawQueryString: '',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          pathParameters: { token },
          body: `action=${action}`,
          isBase64Encoded: false,
          requestContext: { http: { method: 'POST', path: `/t/${token}` } },
        },
        lambdaContext('revisit-reply-api'),
      )) as APIGatewayProxyStructuredResultV2;
    },
    stop: () => {
      waitsForTheRun();
      return runtime.stop();
    },
  };
}

export async function readJsonLines<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
