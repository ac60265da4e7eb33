import { describe, expect, it } from 'vitest';
import { buildReport, type CampaignReport } from '../../../functions/core/report.js';
import { renderReportHtml } from '../../../functions/report/html.js';
import { campaignOf, lifecycleOf } from '../../support/fixtures.js';
import { dataset } from '../../support/report-dataset.js';

describe('renderReportHtml', () => {
  const hostile = `<script>alert("x")</script> & <img src=x onerror=alert(1)> 'Q1'`;
  const report: CampaignReport = buildReport({ ...dataset(), campaign: campaignOf({ name: hostile }) });
  const html = renderReportHtml(report);

  it('escapes the campaign name', () => {
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &#39;Q1&#39;',
    );
  });

  it('is one page without scripts or URLs, locked down by its content security policy', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('draws one inline SVG per figure, each labelled for screen readers', () => {
    const figures = html.match(/<figure>/g) ?? [];
    const svgs = html.match(/<svg\b[^>]*>/g) ?? [];

    // KPIs, rates and NPS for tier, segment and channel, tickets by category and by severity.
    expect(figures).toHaveLength(9);
    expect(svgs).toHaveLength(9);
    for (const svg of svgs) expect(svg).toMatch(/role="img" aria-label="[^"]+"/);
    expect(html.match(/<figcaption>/g)).toHaveLength(9);
  });

  it('quotes every attribute of the charts well: no attribute value closed by a quote inside it', () => {
    const charts = (html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? []).join('\n');

    // A font name in double quotes inside style="..." ends the attribute early: the text loses its
    // style, and the SVG is not well-formed XML. An attribute is followed by a space, / or >.
    expect(charts).toContain('font-family:');
    expect(charts).not.toMatch(/\w="[^"]*"[^\s/>]/);
  });

  it('carries every number in tables with captions and scoped headers', () => {
    expect(html.match(/<caption>/g)?.length).toBe(html.match(/<table>/g)?.length);
    expect(html).toContain('<th scope="col"');
    expect(html).toContain('<th scope="row">Response rate 回复率</th>');
    expect(html).toContain('<th scope="row">Diamond 钻石</th>');
  });

  it('keeps headings in order', () => {
    const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));

    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
  });

  it('stays small for a large campaign', () => {
    const big = dataset();
    const lifecycles = Array.from({ length: 5000 }, (_, i) =>
      lifecycleOf({ customerId: `L${i}`, tier: 'basic', segment: 'dormant', csat: (i % 5) + 1, nps: i % 11 }),
    );

    const page = renderReportHtml(buildReport({ ...big, lifecycles: [...big.lifecycles, ...lifecycles] }));

    expect(page.length).toBeLessThan(500_000);
  });
});
