import { DateTime } from 'luxon';
import type { CustomerEvent } from '../../functions/core/events.js';
import { type CalendarCustomer, type ProgramCalendar, programCalendar } from '../../functions/core/programs/calendar.js';
import { type ProgramInput, programSchema } from '../../functions/core/programs/schema.js';
import { customerSchema, type Tier } from '../../functions/core/schemas.js';

/** A program with no cadence and no trigger unless the test gives them, and no quiet hours. */
export function testProgram(overrides: Partial<ProgramInput> = {}) {
  return programSchema.parse({
    id: 'always-on',
    name: 'Always on',
    cadence: { diamond: '0 per month', gold: '0 per month', silver: '0 per month', basic: '0 per month' },
    triggers: [],
    ...overrides,
  });
}

export function calendarCustomer(
  id: string,
  tier: Tier,
  options: {
    timeZone?: string;
    phone?: string | null;
    email?: string | null;
    tierChanges?: CalendarCustomer['tierChanges'];
  } = {},
): CalendarCustomer {
  const customer = customerSchema.parse({
    id,
    name: `Customer ${id}`,
    phone: options.phone === undefined ? '+8613800000000' : options.phone,
    email: options.email === undefined ? `${id.toLowerCase()}@example.com` : options.email,
    timeZone: options.timeZone ?? 'Asia/Shanghai',
  });
  return { customer, tier, segment: 'active', ...(options.tierChanges ? { tierChanges: options.tierChanges } : {}) };
}

export function purchase(id: string, customerId: string, at: string): CustomerEvent {
  return { id, customerId, type: 'purchase', at, orderId: `O-${id}`, amount: 100 };
}

export function calendarOf(
  program: ReturnType<typeof testProgram>,
  customers: CalendarCustomer[],
  options: { events?: CustomerEvent[]; from?: string; months?: number; history?: number[] } = {},
): ProgramCalendar {
  return programCalendar({
    program,
    customers,
    events: options.events ?? [],
    from: options.from ?? '2027-01-01',
    months: options.months ?? 12,
    ...(options.history ? { history: () => options.history ?? [] } : {}),
  });
}

/** The local wall clock of an ISO time in a zone: "2027-03-15 09:00". */
export function localClock(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');
}
