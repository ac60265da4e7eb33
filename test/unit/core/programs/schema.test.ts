import { describe, expect, it } from 'vitest';
import {
  campaignOf,
  DEFAULT_CADENCE,
  DEFAULT_TRIGGERS,
  programSchema,
  programTemplateProblems,
  stepHours,
} from '../../../../functions/core/programs/schema.js';
import { campaignSchema, DEFAULT_TIERS } from '../../../../functions/core/schemas.js';

const SMS = {
  'zh-CN': '【{{brand}}】{{name}}您好，感谢购买！回复TD退订',
  'en-US': '{{brand}}: Hi {{name}}, thanks! Reply STOP to opt out',
};

describe('a program file', () => {
  it("defaults to the rulebook's cadences and post-purchase touch points", () => {
    // Act
    const program = programSchema.parse({ id: 'always-on', name: 'Always on' });

    // Assess
    expect(program.cadence).toEqual({
      diamond: { touches: 2, per: 'month' },
      gold: { touches: 1, per: 'month' },
      silver: { touches: 1, per: 'quarter' },
      basic: { touches: 1, per: 'half-year' },
    });
    expect(program.triggers).toEqual([{ on: 'purchase', after: ['3d', '7d', '30d', '90d'] }]);
    expect(program.tiers.silver).toEqual({ ...DEFAULT_TIERS.silver, cadence: DEFAULT_CADENCE.silver });
  });

  it('has the same windows, calendar, cap, rates, survey, SLAs and escalation defaults as a campaign', () => {
    const program = programSchema.parse({ id: 'p', name: 'p' });
    const campaign = campaignSchema.parse({ id: 'c', name: 'c' });

    for (const key of [
      'contactWindow',
      'quietHours',
      'blackoutDates',
      'calendar',
      'frequencyCap',
      'sendRates',
      'survey',
      'sla',
      'escalationChain',
      'segments',
      'confirmWithinDays',
      'escalateAtOrBelowCsat',
      'pricing',
    ] as const)
      expect(program[key]).toEqual(campaign[key]);
  });

  it('takes a cadence per tier as data or as text, and keeps the others', () => {
    const program = programSchema.parse({
      id: 'p',
      name: 'p',
      cadence: { gold: '2 per month', silver: { touches: 1, per: 'month' } },
    });

    expect(program.cadence.gold).toEqual({ touches: 2, per: 'month' });
    expect(program.tiers.silver.cadence).toEqual({ touches: 1, per: 'month' });
    expect(program.cadence.diamond).toEqual(DEFAULT_CADENCE.diamond);
  });

  it.each([
    [{ cadence: { gold: 'banana' } }, ['cadence', 'gold']],
    [{ cadense: {} }, []],
    [{ tiers: { gold: { cadence: '1 per month' } } }, ['tiers', 'gold']],
    [{ triggers: [{ on: 'purchse', after: ['3d'] }] }, ['triggers', 0, 'on']],
    [{ triggers: [{ on: 'purchase', after: ['3 days'] }] }, ['triggers', 0, 'after', 0]],
    [{ triggers: [{ on: 'purchase', after: ['7d', '3d'] }] }, ['triggers', 0, 'after']],
    [{ triggers: [{ on: 'purchase', after: ['3d'], templatse: [] }] }, ['triggers', 0]],
    [
      { triggers: [{ on: 'purchase', after: ['3d', '7d'], templates: ['a'] }], messages: { a: { sms: SMS } } },
      ['triggers', 0, 'templates'],
    ],
    [{ triggers: [{ on: 'purchase', after: ['3d'], templates: ['missing'] }] }, ['triggers', 0, 'templates', 0]],
    [{ cadenceTemplates: { gold: 'missing' } }, ['cadenceTemplates', 'gold']],
    [
      {
        triggers: [
          { on: 'purchase', after: ['3d'] },
          { on: 'purchase', after: ['3d', '7d'] },
        ],
      },
      ['triggers', 1, 'after'],
    ],
    [{ frequencyCap: { per48h: 0, per7d: 3 } }, ['frequencyCap', 'per48h']],
    [{ messages: { a: { sms: SMS, push: {} } } }, ['messages', 'a']],
  ])('refuses %o at its field', (overrides, path) => {
    // Act
    const parsed = programSchema.safeParse({ id: 'p', name: 'p', ...overrides });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(path);
  });

  it('reads steps in hours, days and weeks', () => {
    expect(['12h', '3d', '2w', '0d', '3', 'd3'].map(stepHours)).toEqual([12, 72, 336, null, null, null]);
  });

  it('checks its messages like campaign templates, each named by its message', () => {
    const program = programSchema.parse({
      id: 'p',
      name: 'p',
      messages: { thanks: { sms: { 'zh-CN': '{{name}}您好', 'en-US': 'Hi {{nmae}}. Reply STOP to opt out' } } },
      cadenceTemplates: { gold: 'thanks' },
    });

    expect(programTemplateProblems(program)).toEqual([
      'messages.thanks.sms.zh-CN: every SMS must tell how to opt out (TD or 退订)',
      'messages.thanks.sms.en-US: unknown variable {{nmae}} (use {{brand}}, {{name}}, {{surveyUrl}}, {{unsubscribeUrl}}, {{campaignName}}, {{touch}}, {{offer.title}}, {{offer.expires}}, {{offer.code}})',
    ]);
  });

  it('gives the campaign machinery a campaign of the same settings, with a message as its templates', () => {
    const program = programSchema.parse({ id: 'p', name: 'p', messages: { thanks: { sms: SMS } } });

    const campaign = campaignOf(program, { start: '2027-01-01', end: '2027-12-31' }, program.messages.thanks);

    expect(campaignSchema.parse(campaign)).toEqual(campaign);
    expect(campaign.templates?.sms).toEqual(SMS);
    expect(DEFAULT_TRIGGERS[0]?.after).toHaveLength(4);
  });
});
