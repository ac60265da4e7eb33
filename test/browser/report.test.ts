import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationRecord, LifecycleRecord, ReplyRecord, TicketRecord, TouchRecord } from '../../functions/core/records.js';
import { buildReport, type CampaignReport } from '../../functions/core/report.js';
import { SEGMENTS, TIERS } from '../../functions/core/schemas.js';
import { renderReportHtml } from '../../functions/report/html.js';
import { launchChromium } from '../support/chromium.js';
import { campaignOf, HOUR_MS, lifecycleOf, NOW, sentTouchOf } from '../support/fixtures.js';

// The campaign report in a real browser (Debian's Chromium): every chart drawn, the numbers visible, and
// nothing fetched from anywhere.
const at = (hours: number): string => new Date(Date.parse(NOW) + hours * HOUR_MS).toISOString();

/** 40 customers, half Chinese-speaking (SMS first), half English-speaking (e-mail first), over every tier and segment. */
function campaignRecords(): CampaignReport {
  const lifecycles: LifecycleRecord[] = [];
  const touches: TouchRecord[] = [];
  const replies: ReplyRecord[] = [];
  const tickets: TicketRecord[] = [];
  const escalations: EscalationRecord[] = [];
  for (let i = 0; i < 40; i++) {
    const chinese = i % 2 === 0;
    const customerId = `${chinese ? 'zh' : 'en'}-${String(i).padStart(3, '0')}`;
    const tier = TIERS[i % TIERS.length] ?? 'basic';
    const segment = SEGMENTS[i % SEGMENTS.length] ?? 'active';
    const touched = i % 9 !== 8;
    const answered = touched && i % 3 !== 2;
    const csat = answered ? (i % 5) + 1 : null;
    lifecycles.push(
      lifecycleOf({
        customerId,
        tier,
        segment,
        status: answered ? 'replied' : touched ? 'no-response' : 'skipped',
        outcome: answered ? 'replied' : touched ? 'no-response' : null,
        csat,
        nps: answered && i % 2 === 1 ? i % 11 : null,
      }),
    );
    if (!touched) continue;
    touches.push(
      sentTouchOf({
        customerId,
        channel: chinese ? 'sms' : 'email',
        template: chinese ? 'sms/zh-CN' : 'email/en-US',
        address: chinese ? `+86138${String(i).padStart(8, '0')}` : `customer${i}@example.com`,
        messageId: i % 13 === 5 ? null : `msg-${i}`,
        status: i % 13 === 5 ? 'claimed' : answered ? 'replied' : 'unanswered',
        ...(answered ? { repliedAt: at(i % 4 === 0 ? 60 : 5) } : {}),
      }),
    );
    if (i % 10 === 3) {
      replies.push({
        campaignId: 'spring-2027',
        customerId,
        replyId: `optout-${i}`,
        channel: chinese ? 'sms' : 'email',
        receivedAt: at(2),
        kind: 'optout',
        value: chinese ? '退订' : 'STOP',
        touch: 1,
        late: false,
        duplicate: false,
        resumed: true,
      });
    }
    if (csat !== null && csat <= 2) {
      const k = tickets.length;
      const severity = (['A', 'B', 'C'] as const)[k % 3] ?? 'B';
      tickets.push({
        campaignId: 'spring-2027',
        customerId,
        touch: 1,
        severity,
        category: (['product-quality', 'service', 'price', 'contract-dispute', 'logistics', null] as const)[k % 6] ?? null,
        reason: `low CSAT (${csat}/5)`,
        owner: 'li.na@example.com',
        chain: ['li.na@example.com', 'head@example.com'],
        level: 0,
        status: (['open', 'acknowledged', 'resolved', 'closed', 'reopened'] as const)[k % 5] ?? 'open',
        createdAt: at(6),
        respondBy: at(30),
        acknowledgedAt: null,
        resolvedAt: null,
        closedAt: null,
        breached: k % 4 === 1,
        climbs: [],
        confirmation: null,
        reopened: 0,
        replyText: chinese ? '物流太慢了' : 'The parcel came late',
        score: String(csat),
      });
      escalations.push({
        campaignId: 'spring-2027',
        customerId,
        touch: 1,
        kind: 'escalation',
        owner: 'li.na@example.com',
        reason: `low CSAT (${csat}/5)`,
        status: 'sent',
        messageId: `esc-${i}`,
        createdAt: at(6),
      });
    }
  }
  return buildReport({
    campaign: campaignOf({ name: '新春回访 2027 <Spring & "Lunar" New Year>' }),
    lifecycles,
    touches,
    replies,
    escalations,
    tickets,
    generatedAt: new Date('2027-01-21T02:00:00.000Z'),
  });
}

let browser: Browser;
let dir: string;
let fileUrl: string;
let report: CampaignReport;

beforeAll(async () => {
  report = campaignRecords();
  dir = await mkdtemp(join(tmpdir(), 'revisit-report-'));
  const file = join(dir, 'report.html');
  await writeFile(file, renderReportHtml(report));
  fileUrl = pathToFileURL(file).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens the report, recording every request and every console error on the way. */
async function openReport(viewport: { width: number; height: number }): Promise<{
  page: Page;
  requests: string[];
  errors: string[];
}> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  await page.goto(fileUrl);
  await page.waitForLoadState('load');
  return { page, requests, errors };
}

const local = (url: string): boolean => /^(file:|about:|data:)/.test(url);

describe('the campaign report in a browser', () => {
  it.each([
    ['a phone', { width: 390, height: 844 }],
    ['a laptop', { width: 1366, height: 900 }],
  ])('draws every chart on %s, without errors or network requests', async (_, viewport) => {
    // Prepare / Act
    const { page, requests, errors } = await openReport(viewport);

    // Assess
    const figures = await page.locator('figure').evaluateAll((nodes) =>
      nodes.map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const marks = [...(svg?.querySelectorAll('path, rect') ?? [])].filter((mark) => {
          const fill = mark.getAttribute('fill');
          return fill !== null && fill !== 'none' && fill !== 'transparent' && mark.getAttribute('fill-opacity') !== '0';
        });
        return {
          caption: figure.querySelector('figcaption')?.textContent ?? '',
          label: svg?.getAttribute('aria-label') ?? '',
          role: svg?.getAttribute('role'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: marks.length,
        };
      }),
    );
    expect(figures).toHaveLength(9);
    for (const figure of figures) {
      expect(figure.role, figure.caption).toBe('img');
      expect(figure.label, figure.caption).not.toBe('');
      expect(figure.width, figure.caption).toBeGreaterThan(100);
      expect(figure.height, figure.caption).toBeGreaterThan(100);
      expect(figure.marks, figure.caption).toBeGreaterThan(0);
    }
    await expect(page.getByRole('table', { name: /^KPIs/ }).isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !local(url))).toEqual([]);
    // The page itself never scrolls sideways: wide tables scroll inside their own region.
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(5_000);
    await page.close();
  });

  it('draws one KPI bar for each KPI with an achievement', async () => {
    const { page } = await openReport({ width: 1366, height: 900 });

    const bars = await page
      .locator('figure')
      .first()
      .evaluate(
        (figure) =>
          [...figure.querySelectorAll('svg path')].filter((p) => p.getAttribute('fill')?.toLowerCase() === '#0072b2').length,
      );

    expect(bars).toBe(report.kpis.filter((k) => k.achievement !== null).length);
    expect(bars).toBeGreaterThan(0);
    await page.close();
  });

  it('shows the KPI table and the campaign name as text', async () => {
    const { page } = await openReport({ width: 390, height: 844 });

    const kpiTable = page.getByRole('table', { name: /^KPIs/ });
    await expect(kpiTable.getByRole('rowheader', { name: 'Response rate 回复率' }).isVisible()).resolves.toBe(true);
    expect(await kpiTable.locator('tbody tr').count()).toBe(8);
    expect(await page.textContent('h1')).toContain('新春回访 2027 <Spring & "Lunar" New Year>');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('img').count()).toBe(9);
    await page.close();
  });
});
