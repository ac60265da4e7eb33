import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, SNSEvent } from 'aws-lambda';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { smsReplyEvent } from './inbound-events.js';
import type { OutboxEntry } from './outbox.js';
import type { VirtualClock } from './virtual-clock.js';

/** How a simulated customer behaves for the whole campaign. */
export type Persona = 'satisfied' | 'unhappy' | 'silent' | 'second-touch' | 'opt-out' | 'texter';

/** Shares of each persona, in the order they are drawn. */
export const PERSONA_MIX: readonly [Persona, number][] = [
  ['satisfied', 0.45],
  ['unhappy', 0.15],
  ['silent', 0.18],
  ['second-touch', 0.1],
  ['opt-out', 0.05],
  ['texter', 0.07],
];

export const SIMULATED_TEXTS = {
  unhappy: {
    'zh-CN': ['快递太慢了，包装也坏了，很失望', '客服态度差，问题一直没解决，要投诉', '价格涨了太多，不满意'],
    'en-US': [
      'Delivery was slow and the box arrived broken, very disappointed',
      'Support never solved my problem, I want to file a complaint',
      'Prices went up too much, not happy',
    ],
  },
  texter: {
    'zh-CN': ['很满意，谢谢！', '服务不错，新年快乐', '挺好的，感谢关心'],
    'en-US': ['Great service, thanks!', 'All good, happy holidays', 'Very happy with you this year, thank you'],
  },
} as const;

export interface SimulatorDeps {
  seed: number;
  clock: Pick<VirtualClock, 'until' | 'now'>;
  /** The inbound-SMS Lambda handler, fed the SNS event a two-way origination number would publish. */
  deliverSms: (event: SNSEvent) => Promise<unknown>;
  /** The reply-api Lambda handler, fed the HTTP API event a browser would cause. */
  deliverWeb: (event: APIGatewayProxyEventV2) => Promise<unknown>;
  /** Replies arrive this long after the message, in virtual minutes. */
  delayMinutes?: { min: number; max: number };
}

export interface SimulatedReply {
  customerId: string;
  touch: number;
  channel: 'sms' | 'email';
  persona: Persona;
  action: 'score' | 'text' | 'optout' | 'survey' | 'unsubscribe' | 'confirm';
}

/** The key of a customer's answer to one message: each message gets at most one simulated answer. */
export const answerKey = (customerId: string, touch: number, channel: string) => `${customerId}#${touch}#${channel}`;

function rngFor(seed: number, customerId: string, purpose: string) {
  const digest = createHash('sha256').update(`${seed}:${customerId}:${purpose}`).digest();
  return xoroshiro128plus(digest.readInt32LE(0));
}

/** The persona of a customer: a pure function of the seed and the customer id, whatever the order of events. */
export function personaOf(seed: number, customerId: string): Persona {
  const draw = uniformFloat64(rngFor(seed, customerId, 'persona'));
  let cumulative = 0;
  for (const [persona, share] of PERSONA_MIX) {
    cumulative += share;
    if (draw < cumulative) return persona;
  }
  return 'silent';
}

function tokenOf(url: string, prefix: '/s/' | '/u/'): string | null {
  const match = new RegExp(`${prefix}([A-Za-z0-9_.-]+)`).exec(url);
  return match?.[1] ?? null;
}

function apiEvent(routeKey: string, token: string, body: string | undefined, method: string): APIGatewayProxyEventV2 {
  const [, path] = routeKey.split(' ');
  const rawPath = (path ?? '').replace('{token}', token);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: token ? { token } : undefined,
    requestContext: {
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'revisit-simulator' },
    },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/**
 * Simulated customers: each outbound message may get an answer, by SMS reply (through the inbound-SMS
 * handler) or on the survey (through the reply-api handler), after a seeded delay on the virtual clock.
 */
export class ReplySimulator {
  readonly sent: SimulatedReply[] = [];
  readonly errors: string[] = [];
  private pending = 0;
  private waiters: (() => void)[] = [];
  /** Ticket e-mails read so far, by customer, touch and manager: the n-th one gets the n-th draw. */
  private readonly ticketMails = new Map<string, number>();

  constructor(private readonly deps: SimulatorDeps) {}

  /**
   * The answers the simulated customers give to these messages, without delivering any: what a campaign's
   * records must hold once every answer is in (the fault-injection tests check them against the table).
   */
  static expectedReplies(seed: number, entries: readonly OutboxEntry[]): SimulatedReply[] {
    const never = new Promise<void>(() => undefined);
    const dry = new ReplySimulator({
      seed,
      clock: { until: () => never, now: () => new Date(0) },
      deliverSms: async () => undefined,
      deliverWeb: async () => undefined,
    });
    for (const entry of entries) dry.handle(entry);
    return dry.sent;
  }

  /**
   * A resumed run: the customers go on answering the messages of the run that stopped, each message once.
   * Answers whose time has come are delivered at once; `answered` holds the answers recorded already
   * (by customer, touch and channel), which are not given again.
   */
  replay(entries: readonly OutboxEntry[], answered: ReadonlySet<string>): void {
    for (const entry of entries) {
      if (entry.kind !== 'escalation' && answered.has(answerKey(entry.customerId, entry.touch, entry.channel))) continue;
      this.handle(entry);
    }
  }

  handle(entry: OutboxEntry): void {
    if (entry.kind === 'escalation') {
      this.manage(entry);
      return;
    }
    if (entry.kind !== 'touch' || entry.template.startsWith('care-')) return;
    if (entry.template.startsWith('confirm-')) {
      this.confirm(entry);
      return;
    }
    const persona = personaOf(this.deps.seed, entry.customerId);
    const rng = rngFor(this.deps.seed, entry.customerId, `touch-${entry.touch}`);
    const answers =
      persona === 'satisfied' || persona === 'unhappy' || persona === 'texter' || persona === 'opt-out'
        ? entry.touch === 1
        : persona === 'second-touch' && entry.touch === 2;
    if (!answers) return;
    const { min, max } = this.deps.delayMinutes ?? { min: 10, max: 8 * 60 };
    const delayMs = uniformInt(rng, min, max) * 60_000;
    const locale = entry.template.endsWith('en-US') ? 'en-US' : 'zh-CN';
    const pick = (list: readonly string[]) => list[uniformInt(rng, 0, list.length - 1)] ?? '';
    const score =
      persona === 'unhappy' ? uniformInt(rng, 1, 2) : persona === 'second-touch' ? uniformInt(rng, 3, 5) : uniformInt(rng, 4, 5);
    const nps = persona === 'unhappy' ? uniformInt(rng, 0, 5) : uniformInt(rng, 7, 10);
    let deliver: () => Promise<unknown>;
    let action: SimulatedReply['action'];
    if (entry.channel === 'sms') {
      let text: string;
      if (persona === 'opt-out') [text, action] = [locale === 'zh-CN' ? 'TD' : 'STOP', 'optout'];
      else if (persona === 'texter') [text, action] = [pick(SIMULATED_TEXTS.texter[locale]), 'text'];
      else if (persona === 'unhappy' && uniformInt(rng, 0, 1) === 1)
        [text, action] = [pick(SIMULATED_TEXTS.unhappy[locale]), 'text'];
      else [text, action] = [String(score), 'score'];
      deliver = () => this.deps.deliverSms(this.snsEvent(entry, text));
    } else {
      const surveyToken = tokenOf(entry.body, '/s/');
      const unsubscribeToken = tokenOf(entry.body, '/u/');
      if (persona === 'opt-out' && unsubscribeToken) {
        action = 'unsubscribe';
        deliver = () => this.deps.deliverWeb(apiEvent('GET /u/{token}', unsubscribeToken, undefined, 'GET'));
      } else if (surveyToken) {
        action = 'survey';
        const comment =
          persona === 'unhappy'
            ? pick(SIMULATED_TEXTS.unhappy[locale])
            : persona === 'texter'
              ? pick(SIMULATED_TEXTS.texter[locale])
              : undefined;
        const body = JSON.stringify({ token: surveyToken, score, nps, comment });
        deliver = () => this.deps.deliverWeb(apiEvent('POST /replies', '', body, 'POST'));
      } else return;
    }
    this.sent.push({ customerId: entry.customerId, touch: entry.touch, channel: entry.channel, persona, action });
    this.later(entry, delayMs, deliver);
  }

  /**
   * A simulated manager reads a ticket e-mail: most act on it (acknowledge within hours, resolve within
   * a day or two), some let it lie, so that tickets climb the chain. Seeded per e-mail: by its place
   * among the ticket's e-mails to that manager (not by its time, which moves with the machine's load).
   */
  private manage(entry: OutboxEntry): void {
    const token = /\/t\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(entry.body)?.[1];
    if (!token) return;
    const mail = `${entry.customerId}\u0000${entry.touch}\u0000${entry.to}`;
    const nth = (this.ticketMails.get(mail) ?? 0) + 1;
    this.ticketMails.set(mail, nth);
    const rng = rngFor(this.deps.seed, entry.customerId, `ticket-${entry.touch}-${entry.to}-${nth}`);
    if (uniformFloat64(rng) < 0.3) return;
    const act = (action: string) => () =>
      this.deps.deliverWeb({
        ...apiEvent('POST /t/{token}', token, `action=${action}`, 'POST'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const ackAfter = uniformInt(rng, 20, 12 * 60) * 60_000;
    this.later(entry, ackAfter, act('acknowledge'));
    this.later(entry, ackAfter + uniformInt(rng, 2 * 60, 36 * 60) * 60_000, act('resolve'));
  }

  /** A customer asked whether the fix worked: most say solved (1), some not (2), a few do not answer. */
  private confirm(entry: OutboxEntry): void {
    const rng = rngFor(this.deps.seed, entry.customerId, `confirm-${entry.touch}`);
    const draw = uniformFloat64(rng);
    if (draw >= 0.9) return;
    const solved = draw < 0.75;
    const delayMs = uniformInt(rng, 10, 6 * 60) * 60_000;
    this.sent.push({
      customerId: entry.customerId,
      touch: entry.touch,
      channel: entry.channel,
      persona: 'satisfied',
      action: 'confirm',
    });
    if (entry.channel === 'sms') {
      this.later(entry, delayMs, () => this.deps.deliverSms(this.snsEvent(entry, solved ? '1' : '2')));
      return;
    }
    const token = /\/c\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(entry.body)?.[1];
    if (!token) return;
    const body = `answer=${solved ? 'solved' : 'not-solved'}`;
    this.later(entry, delayMs, () =>
      this.deps.deliverWeb({
        ...apiEvent('POST /c/{token}', token, body, 'POST'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }

  /** Delivers `delayMs` after the message was sent (at once, when a resumed run finds that time past). */
  private later(entry: OutboxEntry, delayMs: number, deliver: () => Promise<unknown>): void {
    this.pending++;
    this.deps.clock
      .until(new Date(Date.parse(entry.sentAt) + delayMs))
      .then(deliver)
      .catch((error: unknown) => this.errors.push(`${entry.customerId}: ${(error as Error).name}: ${(error as Error).message}`))
      .finally(() => {
        this.pending--;
        if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
      });
  }

  pendingReplies(): number {
    return this.pending;
  }

  async idle(): Promise<void> {
    while (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /**
   * The customer's SMS answer to `entry`. Its inbound message id is a function of the seed and the
   * message, as a carrier's would be on a redelivery: the same answer is recorded once, however often
   * it is delivered.
   */
  private snsEvent(entry: OutboxEntry, text: string): SNSEvent {
    const inboundId = `sim-${createHash('sha256').update(`${this.deps.seed}:${entry.messageId}`).digest('hex').slice(0, 32)}`;
    return smsReplyEvent(entry.messageId, entry.to, text, this.deps.clock.now().toISOString(), inboundId);
  }
}
