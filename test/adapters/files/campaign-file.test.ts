import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignFileError, loadCampaignFile } from '../../../files/campaign-file.js';
import { DEFAULT_SEGMENTS, DEFAULT_TIERS } from '../../../functions/core/schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'revisit-campaign-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('campaign files', () => {
  it('reads the shipped Spring Festival example with the rulebook defaults it spells out', async () => {
    const campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');

    expect(campaign.id).toBe('spring-festival-2027');
    expect(campaign.tiers).toEqual(DEFAULT_TIERS);
    expect(campaign.segments).toEqual(DEFAULT_SEGMENTS);
    expect(campaign.contactWindow).toEqual({ start: '09:00', end: '20:00' });
    expect(campaign.frequencyCap).toEqual({ per48h: 1, per7d: 3 });
    expect(campaign.execution).toEqual({ start: '2026-12-16', end: '2027-01-20' });
  });

  it('keeps the defaults of every tier and field a file leaves out', async () => {
    const campaign = await loadCampaignFile(file('partial.yaml', 'id: x\nname: X\ntiers:\n  gold: { replyTimeoutHours: 24 }\n'));

    expect(campaign.tiers.gold).toEqual({ ...DEFAULT_TIERS.gold, replyTimeoutHours: 24 });
    expect(campaign.tiers.diamond).toEqual(DEFAULT_TIERS.diamond);
  });

  it('refuses a misspelt setting instead of silently using its default', async () => {
    await expect(
      loadCampaignFile(file('typo.yaml', 'id: x\nname: X\ncontactWindw: { start: "08:00", end: "21:00" }\n')),
    ).rejects.toThrow(/contactWindw/);
  });

  it.each([
    ['contactWindow: { start: "9am", end: "20:00" }', /contactWindow\.start: use 24-hour HH:MM/],
    ['contactWindow: { start: "20:00", end: "09:00" }', /must open before it closes/],
    ['execution: { start: 2027-01-20, end: 2026-12-16 }', /must start on or before its last day/],
    ['blackoutDates: [2027-13-01]', /blackoutDates\.0: use a date like 2026-12-16/],
    ['defaultTimeZone: Beijing', /IANA time zone/],
    ['sendRates: { smsPerSecond: 0, emailPerSecond: 14 }', /sendRates\.smsPerSecond/],
  ])('explains what is wrong with %s', async (line, message) => {
    const error = await loadCampaignFile(file(`bad-${Math.random()}.yaml`, `id: x\nname: X\n${line}\n`)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CampaignFileError);
    expect((error as Error).message).toMatch(message);
  });

  it('says which file is not valid YAML or JSON', async () => {
    await expect(loadCampaignFile(file('broken.json', '{ "id": '))).rejects.toThrow(/broken\.json is not valid JSON/);
    await expect(loadCampaignFile(file('broken.yaml', 'id: [unclosed'))).rejects.toThrow(/broken\.yaml is not valid YAML/);
  });

  it('treats JSON keys starting with an underscore as comments', async () => {
    const campaign = await loadCampaignFile(
      file('commented.json', JSON.stringify({ _comment: 'an example', id: 'x', name: 'X' })),
    );

    expect(campaign.id).toBe('x');
  });
});

describe('template checks when a campaign is loaded', () => {
  const withSms = (zh: string, en = '{{brand}}: Hi {{name}}, reply 1-5. Reply STOP to opt out') =>
    `id: x\nname: X\ntemplates:\n  sms:\n    zh-CN: "${zh}"\n    en-US: "${en}"\n`;

  it('accepts the shipped templates', async () => {
    await expect(
      loadCampaignFile(file('ok-templates.yaml', withSms('【{{brand}}】{{name}}您好，请回复1-5打分。回复TD退订'))),
    ).resolves.toBeTruthy();
  });

  it('catches a misspelt variable before anything is sent', async () => {
    await expect(loadCampaignFile(file('typo-var.yaml', withSms('{{nmae}}您好，请回复1-5。回复TD退订')))).rejects.toThrow(
      /templates\.sms\.zh-CN: unknown variable \{\{nmae\}\}/,
    );
  });

  it('catches an unclosed tag', async () => {
    await expect(loadCampaignFile(file('unclosed.yaml', withSms('{{name 您好。回复TD退订')))).rejects.toThrow(
      /templates\.sms\.zh-CN: unclosed tag/,
    );
  });

  it('refuses an SMS without the opt-out instruction', async () => {
    await expect(loadCampaignFile(file('no-optout.yaml', withSms('{{name}}您好，请回复1-5打分')))).rejects.toThrow(
      /templates\.sms\.zh-CN: every SMS must tell how to opt out \(TD or 退订\)/,
    );
  });

  it('refuses a customer e-mail without its survey and unsubscribe links', async () => {
    const yaml = `id: x\nname: X\ntemplates:\n  email:\n    zh-CN: { subject: "s", text: "{{{surveyUrl}}} {{{unsubscribeUrl}}}", html: "<a href='{{surveyUrl}}'>x</a>" }\n    en-US: { subject: "s", text: "{{{surveyUrl}}} {{{unsubscribeUrl}}}", html: "{{surveyUrl}} {{unsubscribeUrl}}" }\n`;
    await expect(loadCampaignFile(file('no-unsub.yaml', yaml))).rejects.toThrow(
      /templates\.email\.zh-CN\.html: must include the \{\{unsubscribeUrl\}\} link/,
    );
  });
});
