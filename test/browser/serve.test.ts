import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customer, type Harness, startHarness } from '../../local/harness.js';
import { startServer } from '../../local/serve.js';
import { launchChromium } from '../support/chromium.js';

// The local web server in a real browser (Debian's Chromium): the outbox, an SMS typed as the customer,
// and the survey page answered by clicking, each resuming the real lifecycle on DynamoDB Local.
let h: Harness;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness(
    [
      customer({ id: 'web-zh', name: '王芳', locale: 'zh-CN' }),
      customer({ id: 'web-en', name: 'Emma <b>Smith</b>', locale: 'en-US', timeZone: 'America/New_York' }),
      customer({ id: 'sms-zh', name: '李娜' }),
      customer({ id: 'mail-zh', name: '张伟' }),
    ],
    { segments: { active: { channels: ['email', 'sms'] } } },
  );
  server = await startServer(h.runtime, h.outDir, 0);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  await h?.stop();
});

/** The survey link of a customer's e-mail, on this test's server. */
function surveyPath(body: string): string {
  const match = /https?:\/\/[^/\s]+(\/s\/[A-Za-z0-9_.-]+)/.exec(body);
  if (!match?.[1]) throw new Error('no survey link in the e-mail');
  return match[1];
}

describe('revisit serve in a browser', () => {
  it('answers the survey in Chinese by clicking, and the lifecycle closes with that score', async () => {
    const execution = h.startLifecycle('web-zh');
    const email = await h.nextMessage('web-zh', (m) => m.kind === 'touch' && m.channel === 'email');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });

    await page.goto(`${base}${surveyPath(email.body)}`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).toContain('满意度');
    const screenshot = await page.screenshot({ fullPage: true });
    expect(screenshot.length).toBeGreaterThan(5_000);
    await page.locator('input[name="score"][value="5"]').check();
    await page.locator('button[type="submit"]').first().click();
    await page.waitForLoadState();
    expect(await page.textContent('body')).toContain('感谢');
    await execution.result;

    expect(await h.runtime.repo.getLifecycle(h.campaignId, 'web-zh')).toMatchObject({ status: 'replied', csat: 5 });
    await page.close();
  });

  it('shows the English survey page to an English-speaking customer', async () => {
    h.startLifecycle('web-en');
    const email = await h.nextMessage('web-en', (m) => m.kind === 'touch' && m.channel === 'email');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });

    await page.goto(`${base}${surveyPath(email.body)}`);

    expect(await page.getAttribute('html', 'lang')).toBe('en-US');
    expect(await page.title()).toContain('Satisfaction');
    expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(5_000);
    // Keyboard only: tab to the first rating and choose it with the space bar.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.locator('input[name="score"]:checked').count()).toBe(1);
    await page.close();
  });

  it('shows every message in the outbox, escaping what customers wrote, and takes an SMS reply typed as the customer', async () => {
    const execution = h.startLifecycle('sms-zh');
    await h.nextMessage('sms-zh', (m) => m.kind === 'touch' && m.channel === 'email');
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    expect(await page.textContent('h1')).toContain('Outbox');
    // A name with markup is shown as text, never as HTML.
    expect(await page.locator('b:text-is("Smith")').count()).toBe(0);
    expect(await page.textContent('body')).toContain('Emma <b>Smith</b>');
    await page.close();
    // The customer does not answer the e-mail; the SMS re-contact comes after the 48-hour timeout.
    const sms = await h.nextMessage('sms-zh', (m) => m.channel === 'sms');
    const outbox = await browser.newPage();
    await outbox.goto(`${base}/`);
    const form = outbox.locator(`form:has(input[name="messageId"][value="${sms.messageId}"])`);
    await form.locator('input[name="text"]').fill('4');
    await form.locator('button[type="submit"]').click();
    await outbox.waitForLoadState();
    await execution.result;

    expect(await h.runtime.repo.getLifecycle(h.campaignId, 'sms-zh')).toMatchObject({ status: 'replied', csat: 4 });
    await outbox.close();
  });

  it('takes a reply to the e-mail typed as the customer, read like an SMS reply, and the lifecycle closes with it', async () => {
    h.startLifecycle('mail-zh');
    const mail = await h.nextMessage('mail-zh', (m) => m.kind === 'touch' && m.channel === 'email');
    const outbox = await browser.newPage();
    await outbox.goto(`${base}/`);
    const form = outbox.locator(`form[action="/email-reply"]:has(input[name="messageId"][value="${mail.messageId}"])`);
    await form.getByLabel('Reply to this e-mail as the customer').fill('2，物流太慢了');
    await form.locator('button[type="submit"]').click();
    await outbox.waitForLoadState();
    // A complaint about logistics: a ticket for the account manager, whose e-mail goes out at once.
    const ticketMail = await h.nextMessage('mail-zh', (m) => m.kind === 'escalation');

    expect(await h.runtime.repo.getTouch({ campaignId: h.campaignId, customerId: 'mail-zh', touch: 1 })).toMatchObject({
      reply: { kind: 'score', value: 2, comment: '物流太慢了' },
    });
    expect(ticketMail.subject).toContain('B级工单');
    // Escalate marks the lifecycle right after the e-mail went out.
    await expect
      .poll(() => h.runtime.repo.getLifecycle(h.campaignId, 'mail-zh'))
      .toMatchObject({
        status: 'escalated',
        csat: 2,
        sentiment: 'negative',
        category: 'logistics',
      });
    await outbox.close();
  });
});
