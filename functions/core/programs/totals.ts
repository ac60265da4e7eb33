import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { reachableChannels } from '../campaign-plan.js';
import { type CostProjection, projectCost } from '../cost.js';
import { type Customer, type Segment, TIERS, type Tier } from '../schemas.js';
import { chooseTemplate, offerFor, offerVariables, renderChosen } from '../templates.js';
import type { CalendarTouch, ProgramCalendar } from './calendar.js';
import { campaignOf, type Program } from './schema.js';

export interface MonthTotals {
  /** YYYY-MM, the customer's own local month. */
  month: string;
  touches: number;
  byTier: Record<Tier, number>;
  sms: number;
  email: number;
  smsParts: number;
  deferrals: number;
  skipped: number;
  cost: CostProjection;
}

export interface CalendarTotals {
  customers: number;
  touches: number;
  byTier: Record<Tier, number>;
  byTrigger: Record<string, number>;
  byTemplate: Record<string, number>;
  deferrals: { total: number; byWhy: Record<string, number>; byTrigger: Record<string, number>; averageHours: number | null };
  skipped: { total: number; byWhy: Record<string, number>; byTrigger: Record<string, number> };
  months: MonthTotals[];
  cost: { currency: string; infrastructure: number; messages: number; total: number };
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

const zeroTiers = (): Record<Tier, number> => Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The calendar counted per month (the customer's own) and tier, and each month's projected AWS
 * and message cost by the campaign's cost model (cost.ts): every touch is one lifecycle, its SMS parts
 * rendered from the touch's own message for the customer's locale, the re-contact on the other channel.
 */
export function calendarTotals(calendar: ProgramCalendar, program: Program, customers: readonly Customer[]): CalendarTotals {
  const byId = new Map(customers.map((c) => [c.id, c]));
  const execution = { start: calendar.from, end: calendar.from };
  const partsCache = new Map<string, number>();
  const campaign = campaignOf(program, execution);
  // The message Contact will choose (the touch's own, the most specific rule, the templates), as sent.
  const smsPartsOf = (customer: Customer, touch: CalendarTouch, segment: Segment): number => {
    const context = { tier: touch.tier, segment, trigger: touch.trigger, message: touch.template };
    const key = `${touch.template}|${touch.tier}|${segment}|${touch.trigger}|${customer.locale}|${customer.name}`;
    let parts = partsCache.get(key);
    if (parts === undefined) {
      const chosen = chooseTemplate(campaign, 'survey', 'sms', customer.locale, context);
      const offer = offerFor(campaign, touch.tier, segment);
      const vars = {
        brand: program.brand,
        name: customer.name,
        campaignName: program.name,
        touch: 1,
        surveyUrl: '',
        unsubscribeUrl: '',
        offer: offerVariables(offer, customer.locale, offer?.codes ? 'SAMPLE-2027-0001' : null),
      };
      parts = chosen.channel === 'sms' ? renderChosen(chosen, vars).segments : 0;
      if (partsCache.size > 100_000) partsCache.clear();
      partsCache.set(key, parts);
    }
    return parts;
  };
  interface MonthInput {
    totals: Omit<MonthTotals, 'cost'>;
    smsPartsByCountry: Record<string, number>;
    recontactSmsPartsByCountry: Record<string, number>;
    recontactEmails: number;
  }
  const months = new Map<string, MonthInput>();
  const monthOf = (iso: string): MonthInput => {
    // Times are written in the customer's own zone: their month is the one they receive the touch in.
    const month = iso.slice(0, 7);
    let entry = months.get(month);
    if (!entry) {
      entry = {
        totals: { month, touches: 0, byTier: zeroTiers(), sms: 0, email: 0, smsParts: 0, deferrals: 0, skipped: 0 },
        smsPartsByCountry: {},
        recontactSmsPartsByCountry: {},
        recontactEmails: 0,
      };
      months.set(month, entry);
    }
    return entry;
  };
  const totals: Omit<CalendarTotals, 'months' | 'cost'> = {
    customers: calendar.customers.length,
    touches: 0,
    byTier: zeroTiers(),
    byTrigger: {},
    byTemplate: {},
    deferrals: { total: calendar.deferrals.length, byWhy: {}, byTrigger: {}, averageHours: null },
    skipped: { total: calendar.skipped.length, byWhy: {}, byTrigger: {} },
  };
  for (const entry of calendar.customers) {
    const customer = byId.get(entry.id);
    if (!customer) continue;
    const country = (customer.phone && parsePhoneNumberFromString(customer.phone)?.country) || 'default';
    const { channels } = reachableChannels(customer, program.segments[entry.segment].channels, () => false);
    for (const touch of entry.touches) {
      const month = monthOf(touch.sendAt);
      totals.touches++;
      bump(totals.byTier, touch.tier);
      bump(totals.byTrigger, touch.trigger);
      bump(totals.byTemplate, touch.template);
      month.totals.touches++;
      bump(month.totals.byTier, touch.tier);
      month.totals[touch.channel]++;
      const recontact = program.maxTouches > 1 ? (channels.find((c) => c !== touch.channel) ?? touch.channel) : null;
      if (touch.channel === 'sms' || recontact === 'sms') {
        const parts = smsPartsOf(customer, touch, entry.segment);
        if (touch.channel === 'sms') {
          month.totals.smsParts += parts;
          bump(month.smsPartsByCountry, country, parts);
        } else bump(month.recontactSmsPartsByCountry, country, parts);
      }
      if (recontact === 'email') month.recontactEmails++;
    }
  }
  let delayHours = 0;
  for (const deferral of calendar.deferrals) {
    bump(totals.deferrals.byWhy, deferral.why);
    bump(totals.deferrals.byTrigger, deferral.trigger);
    monthOf(deferral.to).totals.deferrals++;
    delayHours += (Date.parse(deferral.to) - Date.parse(deferral.from)) / 3_600_000;
  }
  if (calendar.deferrals.length > 0) totals.deferrals.averageHours = round(delayHours / calendar.deferrals.length);
  for (const skip of calendar.skipped) {
    bump(totals.skipped.byWhy, skip.why);
    bump(totals.skipped.byTrigger, skip.trigger);
    monthOf(skip.wantedAt).totals.skipped++;
  }
  const monthTotals = [...months.values()]
    .sort((a, b) => a.totals.month.localeCompare(b.totals.month))
    .map((m) => ({
      ...m.totals,
      cost: projectCost(
        {
          planned: { sms: m.totals.sms, email: m.totals.email },
          skipped: 0,
          smsPartsByCountry: m.smsPartsByCountry,
          recontactSmsPartsByCountry: m.recontactSmsPartsByCountry,
          recontactEmails: m.recontactEmails,
          assumedResponseRate: program.assumedResponseRate,
        },
        program.pricing,
      ),
    }));
  const sum = (pick: (c: CostProjection) => number) => round(monthTotals.reduce((s, m) => s + pick(m.cost), 0));
  return {
    ...totals,
    months: monthTotals,
    cost: {
      currency: program.pricing.currency,
      infrastructure: sum((c) => c.cost.infrastructure),
      messages: sum((c) => c.cost.messages),
      total: sum((c) => c.cost.total),
    },
  };
}
