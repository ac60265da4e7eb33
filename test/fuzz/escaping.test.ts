import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplyRecord, TicketRecord, TouchRecord } from '../../functions/core/records.js';
import { buildReport } from '../../functions/core/report.js';
import type { Locale } from '../../functions/core/schemas.js';
import {
  type EscalationVariables,
  renderConfirmEmail,
  renderEmail,
  renderEscalation,
  renderManagerTask,
  templateProblems,
} from '../../functions/core/templates.js';
import { confirmPage, messagePage, surveyPage, ticketPage } from '../../functions/reply-api/pages.js';
import { renderReportHtml } from '../../functions/report/html.js';
import { reportSummaryEmail } from '../../functions/report/send-report.js';
import type { OutboxEntry } from '../../local/outbox.js';
import type { LocalRuntime } from '../../local/runtime.js';
import { startServer } from '../../local/serve.js';
import { CAMPAIGN_ID, campaignOf, lifecycleOf, NOW, sentTouchOf } from '../support/fixtures.js';

/*
 * Whatever customers write (a name, a reply, a comment) and whatever a campaign is called is shown as
 * text wherever it is shown: the customer's e-mail, the manager's ticket e-mail and page, the survey
 * pages, the campaign report and the local outbox. The property: a page rendered with hostile text has
 * exactly as many "<" and '"' as the same page rendered with plain text, so the text opened no tag and
 * closed no attribute.
 */

const SEED = 20_261_221;
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

/** Text made of markup: tags, quotes, entities, template braces, and the two classic payloads. */
const hostileText = fc.oneof(
  fc.constantFrom(
    SCRIPT,
    IMG,
    `<b>王芳</b>`,
    `' onmouseover='alert(1)`,
    '&lt;script&gt;',
    '{{name}}',
    '</textarea><script>x</script>',
  ),
  fc
    .string({
      unit: fc.constantFrom('<', '>', '"', "'", '&', '/', '=', '`', 'script', 'img ', 'onerror=', '王', '😀', ' ', '\n'),
      minLength: 1,
      maxLength: 12,
    })
    .filter((text) => text.trim() !== ''),
);

/** How many of the characters that open a tag or end an attribute value a page holds. */
function markup(html: string): { tags: number; quotes: number } {
  return { tags: html.split('<').length - 1, quotes: html.split('"').length - 1 };
}

/** Escaped the page must be: no more markup than with plain text, and neither payload as written. */
function expectEscaped(hostile: string, plain: string): void {
  expect(markup(hostile)).toEqual(markup(plain));
  expect(hostile).not.toContain(SCRIPT);
  expect(hostile).not.toContain('<img src=x');
}

const locales = fc.constantFrom<Locale>('zh-CN', 'en-US');
const PLAIN = 'x';

describe('e-mails', () => {
  const campaign = campaignOf();
  const links = { surveyUrl: 'https://r.example/s/t', unsubscribeUrl: 'https://r.example/u/t' };
  const escalation = (text: string): EscalationVariables => ({
    brand: text,
    customerName: text,
    customerId: text,
    tier: 'gold',
    segment: 'core',
    reason: text,
    replyText: text,
    score: text,
    campaignName: text,
    severity: 'B',
    category: text,
    respondBy: '2026-12-17 10:30 GMT+8',
    why: text,
    history: `#1 2026-12-16 10:30 sms (sms/zh-CN): text ${text}`,
    acknowledgeUrl: 'https://r.example/t/t?do=acknowledge',
    resolveUrl: 'https://r.example/t/t?do=resolve',
  });

  it('escapes the customer name in the HTML of the e-mail a customer gets', () => {
    fc.assert(
      fc.property(hostileText, locales, (text, locale) => {
        const render = (name: string) =>
          renderEmail(campaign, locale, { ...links, brand: name, name, campaignName: name, touch: 1 });

        expectEscaped(render(text).html, render(PLAIN).html);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('escapes what the customer wrote, their name and every other value in the HTML of the ticket e-mail a manager gets', () => {
    fc.assert(
      fc.property(hostileText, locales, (text, locale) => {
        expectEscaped(
          renderEscalation(campaign, locale, escalation(text)).html,
          renderEscalation(campaign, locale, escalation(PLAIN)).html,
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('escapes the customer name in the account-manager task and the "is it solved?" e-mail', () => {
    fc.assert(
      fc.property(hostileText, locales, (text, locale) => {
        const task = (name: string) =>
          renderManagerTask(campaign, locale, {
            campaignName: name,
            customerName: name,
            customerId: name,
            tier: 'gold',
            segment: 'core',
            deadline: '2026-12-20',
          });
        const confirm = (name: string) =>
          renderConfirmEmail(campaign, locale, {
            ...links,
            brand: name,
            name,
            campaignName: name,
            touch: 2,
            solvedUrl: 'https://r.example/c/t?answer=solved',
            notSolvedUrl: 'https://r.example/c/t?answer=not-solved',
          });

        expectEscaped(task(text).html, task(PLAIN).html);
        expectEscaped(confirm(text).html, confirm(PLAIN).html);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('shows the manager the payloads as text in the HTML, and as written in the text part', () => {
    const email = renderEscalation(campaign, 'en-US', { ...escalation('Ann'), replyText: SCRIPT, customerName: IMG });

    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;&#x2F;script&gt;');
    expect(email.html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(email.text).toContain(SCRIPT);
  });

  it('writes a subject on one line when a customer name holds a line break', () => {
    const email = renderEscalation(campaign, 'en-US', { ...escalation('Ann'), customerName: 'Li\r\nNa\nBcc: x@example.com' });

    expect(email.subject).toContain('Li Na Bcc: x@example.com');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it.each([
    ['{{{name}}}', 'email', 'templates.email.en-US.html: {{{name}}} is not HTML-escaped: write {{name}}'],
    ['{{&name}}', 'email', 'templates.email.en-US.html: {{{name}}} is not HTML-escaped: write {{name}}'],
    [
      '{{{replyText}}}',
      'escalation',
      'templates.escalation.en-US.html: {{{replyText}}} is not HTML-escaped: write {{replyText}}',
    ],
  ] as const)('refuses a campaign whose HTML template writes %s unescaped', (variable, kind, problem) => {
    const html = `<p>${variable}</p><a href="{{surveyUrl}}">s</a><a href="{{unsubscribeUrl}}">u</a>`;
    const own = { subject: 's', text: '{{{surveyUrl}}} {{{unsubscribeUrl}}}', html };
    const both = (template: typeof own) => ({ 'zh-CN': template, 'en-US': template });
    const templates = kind === 'email' ? { email: both(own) } : { escalation: both({ ...own, text: 't' }) };

    expect(templateProblems(campaignOf({ templates }))).toContain(problem);
  });

  it('lets a template write its own signed links unescaped', () => {
    const html = '<a href="{{{surveyUrl}}}">s</a><a href="{{{unsubscribeUrl}}}">u</a>';

    const own = { subject: 's', text: '{{surveyUrl}} {{unsubscribeUrl}}', html };

    expect(templateProblems(campaignOf({ templates: { email: { 'zh-CN': own, 'en-US': own } } }))).toEqual([]);
  });
});

describe('survey, confirmation and ticket pages', () => {
  it('escapes what a refused form carried, a question label and the token in the form action', () => {
    fc.assert(
      fc.property(hostileText, locales, (text, locale) => {
        const page = (t: string) =>
          surveyPage(locale, `/s/${t}`, {
            values: { comment: t, extra: { 'q-wish': t } },
            notice: 'refused',
            questions: [
              { id: 'wish', type: 'text', label: { 'en-US': t }, maxLength: 50, required: false },
              { id: 'store', type: 'choice', label: { 'zh-CN': t }, options: [{ 'zh-CN': t }, { 'en-US': t }], required: true },
            ],
          });

        expectEscaped(page(text), page(PLAIN));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("escapes the customer's words, the reason and every other value on a manager's ticket page", () => {
    fc.assert(
      fc.property(hostileText, locales, (text, locale) => {
        const page = (t: string) =>
          ticketPage(locale, `/t/${t}`, {
            customerName: t,
            severity: t,
            status: t,
            reason: t,
            replyText: t,
            respondBy: t,
            owner: t,
          });

        expectEscaped(page(text), page(PLAIN));
        expectEscaped(confirmPage(locale, `/c/${text}`), confirmPage(locale, `/c/${PLAIN}`));
        expectEscaped(messagePage(locale, 'thanks', text), messagePage(locale, 'thanks', PLAIN));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('the campaign report', () => {
  /** A campaign whose name, customer ids, replies and tickets all carry `text`. */
  function reportWith(text: string) {
    const ids = [0, 1, 2].map((i) => `${text}-${i}`);
    const lifecycles = ids.map((customerId, i) =>
      lifecycleOf({ customerId, status: 'replied', outcome: 'replied', csat: i + 2, category: text }),
    );
    const touches: TouchRecord[] = ids.map((customerId) =>
      sentTouchOf({
        customerId,
        status: 'replied',
        repliedAt: NOW,
        reply: { kind: 'score', value: 2, replyId: `r-${customerId}`, comment: text },
      }),
    );
    const replies: ReplyRecord[] = ids.map((customerId) => ({
      campaignId: CAMPAIGN_ID,
      customerId,
      replyId: `r-${customerId}`,
      channel: 'sms',
      receivedAt: NOW,
      kind: 'text',
      value: text,
      touch: 1,
      late: false,
      duplicate: false,
      resumed: true,
    }));
    const tickets: TicketRecord[] = ids.map((customerId) => ({
      campaignId: CAMPAIGN_ID,
      customerId,
      touch: 1,
      severity: 'B',
      category: 'service',
      reason: text,
      owner: 'li.na@example.com',
      chain: ['li.na@example.com'],
      level: 0,
      status: 'open',
      createdAt: NOW,
      respondBy: NOW,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      breached: false,
      climbs: [],
      confirmation: null,
      reopened: 0,
      replyText: text,
      score: null,
    }));
    return buildReport({
      campaign: campaignOf({ name: text }),
      lifecycles,
      touches,
      replies,
      escalations: [],
      tickets,
      generatedAt: new Date(NOW),
    });
  }

  it("escapes the campaign's name and leaves out or escapes what customers wrote, in the report and its e-mail", {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const [hostile, plain] = [reportWith(text), reportWith(PLAIN)];

        expectEscaped(renderReportHtml(hostile), renderReportHtml(plain));
        expectEscaped(reportSummaryEmail(hostile).html, reportSummaryEmail(plain).html);
      }),
      // Each report draws its charts (ECharts SSR, about 30 ms): fewer runs than the other surfaces.
      { seed: SEED, numRuns: 25 },
    );
  });
});

describe('the local outbox (revisit serve)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'revisit-serve-escaping-'));
  const seen: string[] = [];
  // Only the outbox page and the reply API route are used: the stub answers the route with the token it got.
  const runtime = {
    handlers: {
      'reply-api': async (event: { pathParameters?: { token?: string } }) => {
        seen.push(event.pathParameters?.token ?? '');
        return { statusCode: 410, headers: { 'content-type': 'text/plain' }, body: 'invalid link' };
      },
    },
  } as unknown as LocalRuntime;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = await startServer(runtime, outDir, 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(outDir, { recursive: true, force: true });
  });

  function entry(text: string, channel: 'sms' | 'email'): OutboxEntry {
    return {
      messageId: `m-${text}`,
      kind: 'touch',
      campaignId: CAMPAIGN_ID,
      customerId: text,
      touch: 1,
      channel,
      to: text,
      template: text,
      subject: text,
      body: `Hi ${text}, reply 1-5: http://localhost:8787/s/abc`,
      segments: 1,
      sentAt: text,
    };
  }

  async function outboxPage(text: string): Promise<string> {
    writeFileSync(
      join(outDir, 'outbox.jsonl'),
      `${[entry(text, 'sms'), entry(text, 'email')].map((e) => JSON.stringify(e)).join('\n')}\n`,
    );
    return (await fetch(`${base}/`)).text();
  }

  it('shows what customers and messages hold as text, in every field of the page', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        expectEscaped(await outboxPage(text), await outboxPage(PLAIN));
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('links only http(s) addresses, and a quote ends the link instead of starting an attribute', async () => {
    const html = await outboxPage(`see https://shop.example/a"onmouseover="alert(1) or javascript:alert(1)`);

    expect(html).toContain('<a href="https://shop.example/a">https://shop.example/a</a>&#34;onmouseover=&#34;alert(1)');
    expect(html).not.toContain('href="javascript');
  });

  it('passes a token with a broken percent escape on as written, instead of failing with 500', async () => {
    const response = await fetch(`${base}/s/abc%E0%A4%A`);

    expect(response.status).toBe(410);
    expect(seen.at(-1)).toBe('abc%E0%A4%A');
  });

  it('refuses a body over 64 KB with 413, naming the limit', async () => {
    const response = await fetch(`${base}/sms-reply`, { method: 'POST', body: 'x'.repeat(65 * 1024) });

    expect(response.status).toBe(413);
    expect(await response.text()).toBe('request body too large: at most 64 KB');
  });
});
