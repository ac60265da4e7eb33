import { DateTime } from 'luxon';
import type { CampaignRepository, EventStore, ProfileStore, ProgramStore } from '../functions/core/ports/index.js';
import type { Profile } from '../functions/core/profiles.js';
import type { Program } from '../functions/core/programs/schema.js';
import { profileCalendarOf } from '../functions/core/programs/wave.js';
import type { ReplyRecord } from '../functions/core/records.js';
import { TIERS, type Tier } from '../functions/core/schemas.js';

type Counts = Record<string, number>;
const bump = (into: Counts, key: string, by = 1) => {
  into[key] = (into[key] ?? 0) + by;
};
const byTierZero = (): Record<Tier, number> => ({ diamond: 0, gold: 0, silver: 0, basic: 0 });

export interface ProgramRunSummary {
  program: { id: string; name: string };
  from: string;
  months: number;
  customers: number;
  rejectedRows: number;
  events: { taken: number; duplicate: number; rejected: number; afterTheEnd: number };
  /** Program touches (a lifecycle each: its survey, re-contact and care messages are one touch). */
  touches: {
    /** Touches that went out (their first message sent). */
    sent: number;
    byTier: Record<Tier, number>;
    byTrigger: Counts;
    /** Month (the program's zone) -> tier -> touches sent. */
    byMonth: Record<string, Record<Tier, number>>;
  };
  /** Messages to customers: survey touches, re-contacts, care SMS and confirmations. */
  messages: { sms: number; email: number; smsSegments: number };
  replies: { total: number; byTier: Record<Tier, number>; responseRate: number };
  outcomes: Counts;
  downgrades: { customerId: string; from: Tier | null; to: Tier; at: string }[];
  upgrades: { customerId: string; from: Tier | null; to: Tier; at: string }[];
  /** Touches the frequency cap moved: in the program's calendar, or at send time by another program or campaign. */
  deferrals: { customerId: string; trigger: string; from: string; to: string; reason: string }[];
  /** Touches that did not go out, each with its reason (never dropped silently). */
  skipped: { customerId: string; trigger: string; tier: Tier; wantedAt: string; reason: string }[];
  waves: number;
}

const RANK: Record<Tier, number> = { diamond: 0, gold: 1, silver: 2, basic: 3 };

/**
 * What a program run did, read back from the table: every wave's lifecycles (a program touch each),
 * touches and replies, the profiles' tier histories inside the period, and each customer's calendar as
 * their profile ends it (the cap's deferrals). Counts, never a customer's data, except their ids.
 */
export async function summarizeProgram(
  stores: { repo: CampaignRepository; programs: ProgramStore; profiles: ProfileStore; events: EventStore },
  input: {
    program: Program;
    from: string;
    months: number;
    profiles: readonly Profile[];
    rejectedRows: number;
    events: ProgramRunSummary['events'];
    smsSegments: number;
  },
): Promise<{ summary: ProgramRunSummary; replies: ReplyRecord[] }> {
  const { program } = input;
  const zone = program.defaultTimeZone;
  const periodStart = DateTime.fromISO(input.from, { zone }).toMillis();
  const periodEnd = DateTime.fromISO(input.from, { zone }).plus({ months: input.months }).toMillis();
  const waves = await stores.programs.listWaves(program.id);
  const summary: ProgramRunSummary = {
    program: { id: program.id, name: program.name },
    from: input.from,
    months: input.months,
    customers: input.profiles.length,
    rejectedRows: input.rejectedRows,
    events: input.events,
    touches: { sent: 0, byTier: byTierZero(), byTrigger: {}, byMonth: {} },
    messages: { sms: 0, email: 0, smsSegments: input.smsSegments },
    replies: { total: 0, byTier: byTierZero(), responseRate: 0 },
    outcomes: {},
    downgrades: [],
    upgrades: [],
    deferrals: [],
    skipped: [],
    waves: waves.length,
  };
  const replies: ReplyRecord[] = [];
  for (const wave of waves) {
    const [lifecycles, touches, waveReplies] = await Promise.all([
      stores.repo.listLifecycles(wave.waveId),
      stores.repo.listTouches(wave.waveId),
      stores.repo.listReplies(wave.waveId),
    ]);
    replies.push(...waveReplies);
    const firstSent = new Map<string, string>();
    for (const t of touches) {
      if (t.sentAt === null) continue;
      bump(summary.messages, t.channel);
      if (t.touch === 1) firstSent.set(t.customerId, t.sentAt);
    }
    for (const lifecycle of lifecycles) {
      const row = await stores.repo.getCustomer(wave.waveId, lifecycle.customerId);
      const touch = row?.programTouch;
      if (!row || !touch) continue;
      bump(summary.outcomes, lifecycle.outcome ?? lifecycle.status);
      if (lifecycle.skip) {
        summary.skipped.push({
          customerId: lifecycle.customerId,
          trigger: touch.trigger,
          tier: touch.tier,
          wantedAt: row.plannedFirstTouch?.sendAt ?? '',
          reason: lifecycle.skip,
        });
        continue;
      }
      const sentAt = firstSent.get(lifecycle.customerId);
      if (!sentAt) continue;
      summary.touches.sent++;
      summary.touches.byTier[touch.tier]++;
      bump(summary.touches.byTrigger, touch.trigger);
      const month = DateTime.fromISO(sentAt, { zone }).toFormat('yyyy-MM');
      summary.touches.byMonth[month] ??= byTierZero();
      (summary.touches.byMonth[month] as Record<Tier, number>)[touch.tier]++;
      const booked = row.plannedFirstTouch?.sendAt;
      // Moved past its booked slot by a day or more: the cap (another program or a campaign) deferred it.
      if (booked && Date.parse(sentAt) - Date.parse(booked) >= 86_400_000)
        summary.deferrals.push({
          customerId: lifecycle.customerId,
          trigger: touch.trigger,
          from: booked,
          to: sentAt,
          reason: 'frequency cap at send time (another program or campaign) / 发送时频次上限（其他方案或活动）',
        });
    }
    for (const reply of waveReplies) {
      if (reply.customerId === null || reply.duplicate || reply.late) continue;
      const row = await stores.repo.getCustomer(wave.waveId, reply.customerId);
      if (row?.programTouch) summary.replies.byTier[row.programTouch.tier]++;
      summary.replies.total++;
    }
  }
  summary.replies.responseRate =
    summary.touches.sent === 0 ? 0 : Math.round((summary.replies.total / summary.touches.sent) * 1000) / 1000;
  const record = await stores.programs.getProgram(program.id);
  for (const start of input.profiles) {
    const profile = (await stores.profiles.getProfile(start.customerId)) ?? start;
    for (const change of profile.tierHistory) {
      const at = Date.parse(change.at);
      if (change.from === null || at < periodStart || at >= periodEnd) continue;
      const entry = { customerId: profile.customerId, from: change.from, to: change.to, at: change.at };
      if (RANK[change.to] > RANK[change.from]) summary.downgrades.push(entry);
      else summary.upgrades.push(entry);
    }
    if (!record) continue;
    const events = (await stores.events.listEvents(profile.customerId)).filter((e) => e.appliedAt !== null).map((e) => e.event);
    const lastDay = DateTime.fromMillis(periodEnd, { zone: 'utc' }).toISODate() ?? input.from;
    const calendar = profileCalendarOf(program, profile, events, { from: record.from, until: record.until, day: lastDay });
    for (const d of calendar.deferrals) {
      if (Date.parse(d.from) >= periodEnd) continue;
      summary.deferrals.push({ customerId: d.customerId, trigger: d.trigger, from: d.from, to: d.to, reason: d.reason });
    }
  }
  summary.downgrades.sort((a, b) => a.at.localeCompare(b.at));
  summary.upgrades.sort((a, b) => a.at.localeCompare(b.at));
  summary.deferrals.sort((a, b) => a.from.localeCompare(b.from));
  summary.touches.byMonth = Object.fromEntries(Object.entries(summary.touches.byMonth).sort(([a], [b]) => a.localeCompare(b)));
  return { summary, replies };
}

/** The tiers in the rulebook's order, for tables and charts. */
export const TIER_ORDER = TIERS;
