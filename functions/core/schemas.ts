import { IANAZone } from 'luxon';
import { z } from 'zod';

export const CHANNELS = ['sms', 'email'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const LOCALES = ['zh-CN', 'en-US'] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;

export const TIERS = ['diamond', 'gold', 'silver', 'basic'] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

export const SEGMENTS = ['churn-warning', 'core', 'potential', 'new', 'active', 'dormant', 'lost'] as const;
export const segmentSchema = z.enum(SEGMENTS);
export type Segment = z.infer<typeof segmentSchema>;

export const PRIORITIES = ['high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

const isoDateTime = z.iso.datetime({ offset: true });

/** A customer as the campaign knows it: contact data (personal) and purchase data (for RFM). */
export const customerSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  phone: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
  locale: localeSchema.default('zh-CN'),
  timeZone: z.string().default('Asia/Shanghai'),
  accountManager: z.string().nullable().default(null),
  managerChain: z.array(z.string()).default([]),
  smsConsent: z.boolean().default(true),
  emailConsent: z.boolean().default(true),
  lastPurchaseAt: isoDateTime.nullable().default(null),
  firstPurchaseAt: isoDateTime.nullable().default(null),
  orders12m: z.number().int().min(0).default(0),
  spend12m: z.number().min(0).default(0),
  spendPrev3m: z.number().min(0).default(0),
  spendLast3m: z.number().min(0).default(0),
  openComplaints: z.number().int().min(0).default(0),
  tags: z.array(z.string()).default([]),
  /** The first touch as the campaign plan booked it (channel and rate slot), set at launch. */
  plannedFirstTouch: z
    .object({ channel: z.enum(['sms', 'email']), sendAt: isoDateTime })
    .nullable()
    .default(null),
  /**
   * The tier the customer's profile holds, read when the campaign imported the row (issue 16): it replaces
   * the tier from the file's spend, so that a persisted downgrade holds in later campaigns; null: no profile.
   */
  profileTier: tierSchema.nullable().default(null),
  /**
   * A standing program's touch (issue 16): the row of a program wave is one touch of one program, with
   * the profile's tier in force, what asked for it and the message it carries; null in a campaign.
   */
  programTouch: z
    .object({
      program: z.string().min(1),
      /** `cadence`, or the event type and step: `purchase+3d`. */
      trigger: z.string().min(1),
      /** The touch's identity in its program (exactly once per customer, program, cycle or event, step). */
      key: z.string().min(1),
      /** The program's message name, or `default`. */
      template: z.string().min(1),
      /** The profile's tier when the touch was due (a persisted downgrade holds): it replaces the file's spend tiers. */
      tier: tierSchema,
      /** It must go out before this instant (its next cycle or step), or it is skipped with the reason. */
      notAfter: isoDateTime,
      /** Why the program could not place it (the calendar's reason): its lifecycle records the skip and sends nothing. */
      skip: z.string().nullable().default(null),
    })
    .nullable()
    .default(null),
});
export type Customer = z.infer<typeof customerSchema>;
export type ProgramTouch = NonNullable<Customer['programTouch']>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use 24-hour HH:MM, for example 09:00');
const isoDate = z.iso.date({ error: 'use a date like 2026-12-16' });

/** The periods a cadence counts touches in (rulebook section 1: per month, per quarter, per half-year). */
export const CADENCE_PERIODS = ['week', 'month', 'quarter', 'half-year', 'year'] as const;
export type CadencePeriod = (typeof CADENCE_PERIODS)[number];

const CADENCE_FORMS =
  `use "N per PERIOD" (for example "2 per month") or { touches: N, per: PERIOD }, PERIOD one of ${CADENCE_PERIODS.join(', ')}` +
  ` / 写作 "N per 周期"（如 "2 per month"）或 { touches: N, per: 周期 }，周期为 ${CADENCE_PERIODS.join('、')} 之一`;
const CADENCE_TEXT = new RegExp(`^(\\d{1,2}) per (${CADENCE_PERIODS.join('|')})$`);

/**
 * How often a tier is followed up: `touches` per `per` (2 per month). Campaign files may write it as the
 * text "2 per month", read strictly into the same object; anything else ("banana", "twice a month") is
 * refused with the accepted forms.
 */
export const cadenceSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const match = CADENCE_TEXT.exec(value.trim());
    return match ? { touches: Number(match[1]), per: match[2] } : value;
  },
  z.strictObject(
    {
      touches: z
        .number({ error: CADENCE_FORMS })
        .int('touches: a whole number / 整数')
        .min(0, 'touches: 0 or more / 不小于 0')
        .max(31, 'touches: at most 31 per period / 每周期至多 31 次'),
      per: z.enum(CADENCE_PERIODS, { error: CADENCE_FORMS }),
    },
    { error: CADENCE_FORMS },
  ),
);
export type Cadence = z.infer<typeof cadenceSchema>;

export const tierRuleSchema = z.strictObject({
  /** Touches per cadence period (rulebook section 1). */
  cadence: cadenceSchema,
  /** How long to wait for a reply to a touch, in hours. */
  replyTimeoutHours: z
    .number()
    .positive()
    .max(24 * 20),
  /** Unanswered touches before the no-response rule applies. */
  unansweredTouches: z.number().int().min(1).max(5),
  noResponseRule: z.enum(['account-manager-task', 'sms-care-follow-up', 'downgrade-to-basic', 'stop']),
});

export type TierRule = z.infer<typeof tierRuleSchema>;

const segmentRuleSchema = z.strictObject({
  priority: z.enum(PRIORITIES),
  completeWithinHours: z.number().positive(),
  channels: z.array(channelSchema).min(1),
  accountManagerTask: z.boolean(),
});

export type SegmentRule = z.infer<typeof segmentRuleSchema>;

/** Rulebook defaults, section 1-4. Every number is configurable per campaign. */
export const DEFAULT_TIERS: Record<Tier, TierRule> = {
  diamond: {
    cadence: { touches: 2, per: 'month' },
    replyTimeoutHours: 48,
    unansweredTouches: 2,
    noResponseRule: 'account-manager-task',
  },
  gold: {
    cadence: { touches: 1, per: 'month' },
    replyTimeoutHours: 48,
    unansweredTouches: 1,
    noResponseRule: 'sms-care-follow-up',
  },
  silver: {
    cadence: { touches: 1, per: 'quarter' },
    replyTimeoutHours: 48,
    unansweredTouches: 2,
    noResponseRule: 'downgrade-to-basic',
  },
  basic: { cadence: { touches: 1, per: 'half-year' }, replyTimeoutHours: 48, unansweredTouches: 1, noResponseRule: 'stop' },
};

export const DEFAULT_SEGMENTS: Record<Segment, SegmentRule> = {
  'churn-warning': { priority: 'high', completeWithinHours: 48, channels: ['sms', 'email'], accountManagerTask: true },
  core: { priority: 'high', completeWithinHours: 7 * 24, channels: ['email', 'sms'], accountManagerTask: true },
  potential: { priority: 'medium', completeWithinHours: 15 * 24, channels: ['email', 'sms'], accountManagerTask: false },
  new: { priority: 'medium', completeWithinHours: 15 * 24, channels: ['sms', 'email'], accountManagerTask: false },
  active: { priority: 'medium', completeWithinHours: 15 * 24, channels: ['sms', 'email'], accountManagerTask: false },
  dormant: { priority: 'low', completeWithinHours: 30 * 24, channels: ['sms', 'email'], accountManagerTask: false },
  lost: { priority: 'low', completeWithinHours: 30 * 24, channels: ['sms', 'email'], accountManagerTask: false },
};

export const segmentationSchema = z.object({
  /** churn-warning: spend in the last 3 months fell by at least this share against the 3 months before. */
  churnDropShare: z.number().min(0).max(1).default(0.5),
  /** potential: spend in the last 3 months rose by at least this share. */
  potentialGrowthShare: z.number().min(0).default(0.2),
  /** new: first purchase within this many months. */
  newWithinMonths: z.number().positive().default(6),
  /** core: customers with this many years of history and no churn. */
  coreYears: z.number().positive().default(3),
  /** dormant: no purchase for at least this many months (and at most lostAfterMonths). */
  dormantAfterMonths: z.number().positive().default(6),
  /** lost: no purchase for more than this many months. */
  lostAfterMonths: z.number().positive().default(12),
  /** Tiers by share of revenue, top down: diamond is the smallest set of customers making this share. */
  diamondRevenueShare: z.number().min(0).max(1).default(0.2),
  goldRevenueShare: z.number().min(0).max(1).default(0.5),
  /** silver: occasional customers, at least this many orders in 12 months. */
  silverMinOrders: z.number().int().min(0).default(2),
});
export type SegmentationRules = z.infer<typeof segmentationSchema>;

/** SMS prices per message part by destination country (illustrative list prices; set your own). */
export const DEFAULT_SMS_PRICES: Record<string, number> = { CN: 0.0322, US: 0.00883, default: 0.05 };

export const pricingSchema = z.strictObject({
  currency: z.string().default('USD'),
  /** Step Functions Standard: per state transition ($0.025 per 1,000). */
  stepFunctionsPerTransition: z.number().min(0).default(0.000025),
  /** Lambda: per request ($0.20 per million). */
  lambdaPerRequest: z.number().min(0).default(0.0000002),
  /** Lambda arm64: per GB-second. */
  lambdaPerGbSecond: z.number().min(0).default(0.0000133334),
  lambdaMemoryMb: z.number().positive().default(512),
  /** Average duration of one invocation, in milliseconds. */
  lambdaAverageMs: z.number().positive().default(150),
  /** DynamoDB on-demand: per write request unit ($0.625 per million). */
  dynamoDbPerWrite: z.number().min(0).default(0.000000625),
  /** DynamoDB on-demand: per read request unit ($0.125 per million). */
  dynamoDbPerRead: z.number().min(0).default(0.000000125),
  /** SES: per e-mail ($0.10 per 1,000). */
  sesPerEmail: z.number().min(0).default(0.0001),
  /** SMS: per message part, by the recipient's country (ISO code), with a default for the rest. */
  smsPerPart: z
    .record(z.string(), z.number().min(0))
    .default({})
    .transform((given) => ({ ...DEFAULT_SMS_PRICES, ...given })),
});
export type Pricing = z.infer<typeof pricingSchema>;

/** A text in one or both shipped locales; a page in a locale without its own text shows the other one. */
export const localizedTextSchema = z
  .partialRecord(localeSchema, z.string().min(1).max(300))
  .refine((text) => Object.keys(text).length > 0, 'give the text in zh-CN, en-US or both');
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** The survey's built-in questions: CSAT, NPS, the three service dimensions and the comment. */
export const BUILT_IN_QUESTIONS = 6;
/** Rulebook section 3: at most 15 questions in all. */
export const MAX_SURVEY_QUESTIONS = 15;

const questionId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'question id: a lowercase letter, then up to 31 lowercase letters, digits or -');
const questionBase = { id: questionId, label: localizedTextSchema, required: z.boolean().default(false) };
/** A campaign's own survey question: a 1-5 rating, yes/no, one choice of several, or free text. */
export const extraQuestionSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...questionBase, type: z.literal('rating') }),
  z.strictObject({ ...questionBase, type: z.literal('yes-no') }),
  z.strictObject({ ...questionBase, type: z.literal('choice'), options: z.array(localizedTextSchema).min(2).max(10) }),
  z.strictObject({ ...questionBase, type: z.literal('text'), maxLength: z.number().int().min(1).max(2000).default(500) }),
]);
export type ExtraQuestion = z.infer<typeof extraQuestionSchema>;
export type ExtraQuestionInput = z.input<typeof extraQuestionSchema>;

export const surveySchema = z.strictObject({
  /** What an SMS asks the customer to answer with a digit: CSAT (1-5) or NPS (0-10). */
  smsAsks: z.enum(['csat', 'nps']).default('csat'),
  /** The campaign's own questions, shown after the built-in ones on the survey page. */
  questions: z
    .array(extraQuestionSchema)
    .max(MAX_SURVEY_QUESTIONS - BUILT_IN_QUESTIONS, {
      error: `at most ${MAX_SURVEY_QUESTIONS - BUILT_IN_QUESTIONS} extra questions: the survey has ${BUILT_IN_QUESTIONS} of its own and ${MAX_SURVEY_QUESTIONS} in all (rulebook section 3)`,
    })
    .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, 'every question needs its own id')
    .default([]),
});
export type Survey = z.infer<typeof surveySchema>;

const slaSchema = z.strictObject({ respondHours: z.number().positive(), resolveHours: z.number().positive() });

const kpiSchema = z.strictObject({
  /** The value before this campaign (the last comparable one); null when unknown. */
  baseline: z.number().nullable().default(null),
  target: z.number(),
});
/**
 * Rulebook section 6: each KPI with its baseline and target (rates as shares 0-1, NPS -100..100). Defaults:
 * satisfaction 92%, the response rate 15 points over its baseline, resolution 95%. Baselines are examples:
 * set last campaign's values.
 */
export const kpisSchema = z.strictObject({
  followUpRate: kpiSchema.default({ baseline: null, target: 1 }),
  reachRate: kpiSchema.default({ baseline: null, target: 0.98 }),
  responseRate: kpiSchema.default({ baseline: 0.35, target: 0.5 }),
  csat: kpiSchema.default({ baseline: 0.8, target: 0.92 }),
  nps: kpiSchema.default({ baseline: null, target: 30 }),
  resolutionRate: kpiSchema.default({ baseline: null, target: 0.95 }),
  /** Lower is better: share of tickets that missed an SLA deadline. */
  slaBreachRate: kpiSchema.default({ baseline: null, target: 0 }),
  /** Lower is better: opt-outs per contacted customer. */
  optOutRate: kpiSchema.default({ baseline: null, target: 0.02 }),
});
export type Kpis = z.infer<typeof kpisSchema>;

const emailTemplateSchema = z.strictObject({ subject: z.string().min(1), text: z.string().min(1), html: z.string().min(1) });
/** Message templates per channel and locale; a channel given replaces the shipped templates of that channel. */
export const templateSetSchema = z.strictObject({
  sms: z.record(localeSchema, z.string().min(1)).optional(),
  email: z.record(localeSchema, emailTemplateSchema).optional(),
  managerTask: z.record(localeSchema, emailTemplateSchema).optional(),
  escalation: z.record(localeSchema, emailTemplateSchema).optional(),
  care: z.record(localeSchema, z.string().min(1)).optional(),
  confirmSms: z.record(localeSchema, z.string().min(1)).optional(),
  confirmEmail: z.record(localeSchema, emailTemplateSchema).optional(),
});

/** A named message's or a coupon pool's name: a lowercase letter, then lowercase letters, digits or -. */
export const messageNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,47}$/,
    'a message name: a lowercase letter, then up to 47 lowercase letters, digits or - / 消息名：小写字母开头，至多 48 个小写字母、数字或 -',
  );
export const couponPoolSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'a coupon pool: 1-40 letters, digits, - or _ / 券池名：1-40 个字母、数字、- 或 _');

/**
 * A named message (issue 16): its SMS and e-mail, each in any of the locales. A locale or channel left out
 * falls back to the next more general message (docs/templates.md), never to an empty one.
 */
export const namedMessageSchema = z
  .strictObject({
    sms: z.partialRecord(localeSchema, z.string().min(1)).optional(),
    email: z.partialRecord(localeSchema, emailTemplateSchema).optional(),
  })
  .refine(
    (m) => m.sms !== undefined || m.email !== undefined,
    'give the message an sms, an email or both / 至少给出 sms 或 email',
  );
export type NamedMessage = z.infer<typeof namedMessageSchema>;

/**
 * What a rule matches a touch by: its tier, its segment, what asked for it (`cadence`, an event type such as
 * `purchase`, or one step of it such as `purchase+3d`). Fields left out match every touch.
 */
export const messageRuleSchema = z.strictObject({
  tier: tierSchema.optional(),
  segment: segmentSchema.optional(),
  trigger: z
    .string()
    .regex(
      /^(cadence|[a-z][a-z-]*(\+[1-9]\d{0,3}[hdw])?)$/,
      'trigger: cadence, an event type (purchase) or one of its steps (purchase+3d) / 触发：cadence、事件类型或其步骤',
    )
    .optional(),
  message: messageNameSchema,
});
export type MessageRule = z.infer<typeof messageRuleSchema>;

/** An offer (rulebook section 1, what each tier hears): `{{offer.title}}`, `{{offer.expires}}`, `{{offer.code}}`. */
export const offerSchema = z.strictObject({
  title: z.union([z.string().min(1).max(200), localizedTextSchema]),
  /** Last day of the offer (a local date), shown in the customer's locale. */
  expires: isoDate.optional(),
  /** The coupon pool whose codes `{{offer.code}}` hands out, one per customer (`revisit coupons import`). */
  codes: couponPoolSchema.optional(),
});
export type Offer = z.infer<typeof offerSchema>;

/** Brand and the defaults for customers whose file leaves their locale, zone or region out. */
export const audienceDefaultsShape = {
  brand: z.string().min(1).default('revisit'),
  defaultLocale: localeSchema.default('zh-CN'),
  defaultTimeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'use an IANA time zone such as Asia/Shanghai or America/New_York')
    .default('Asia/Shanghai'),
  defaultRegion: z
    .string()
    .regex(/^[A-Z]{2}$/, 'use a two-letter country code such as CN or US')
    .default('CN'),
};

/**
 * The follow-up settings campaigns and standing programs share (rulebook sections 1-6): windows, quiet
 * hours, blackout and 调休 days, frequency cap, send rates, tiers' and segments' rules, survey, SLAs,
 * escalation, KPIs, pricing. One definition, spread into both schemas, so the two cannot drift apart.
 */
export const followUpSettingsShape = {
  contactWindow: z
    .object({ start: hhmm, end: hhmm })
    .refine((w) => w.start < w.end, 'the contact window must open before it closes')
    .default({ start: '09:00', end: '20:00' }),
  /** Periods inside the contact window when nothing is sent, e.g. [{ start: '12:00', end: '13:30' }]. */
  quietHours: z
    .array(z.object({ start: hhmm, end: hhmm }).refine((w) => w.start < w.end, 'quiet hours must start before they end'))
    .default([]),
  /** Holidays and other days without sends (local dates). */
  blackoutDates: z.array(isoDate).default([]),
  /** Working-day calendar: send Monday-Friday only, plus the make-up working days (调休) listed. */
  calendar: z
    .object({ workingDaysOnly: z.boolean().default(false), makeUpWorkdays: z.array(isoDate).default([]) })
    .default({ workingDaysOnly: false, makeUpWorkdays: [] }),
  frequencyCap: z.object({ per48h: z.number().int().min(1), per7d: z.number().int().min(1) }).default({ per48h: 1, per7d: 3 }),
  sendRates: z
    .object({
      smsPerSecond: z.number().positive(),
      emailPerSecond: z.number().positive(),
      /**
       * At most this many first touches (so lifecycles started) a day (UTC), both channels together; unset:
       * no cap. Keeps a huge campaign's open Step Functions executions under the region's quota
       * (BENCHMARKS.md, "Scale on AWS").
       */
      firstTouchesPerDay: z.number().int().positive().optional(),
    })
    .default({ smsPerSecond: 20, emailPerSecond: 14 }),
  maxTouches: z.number().int().min(1).max(5).default(2),
  /** `revisit plan` warns about customers whose SMS would take more parts than this. */
  maxSmsParts: z.number().int().min(1).max(10).default(2),
  /** Per-tier rules; a tier or field left out keeps the rulebook's default. */
  tiers: z
    .partialRecord(tierSchema, tierRuleSchema.partial())
    .default({})
    .transform(
      (given) => Object.fromEntries(TIERS.map((t) => [t, { ...DEFAULT_TIERS[t], ...given[t] }])) as Record<Tier, TierRule>,
    ),
  /** Per-segment rules (priority, deadline, channel mix, account-manager task); partial like `tiers`. */
  segments: z
    .partialRecord(segmentSchema, segmentRuleSchema.partial())
    .default({})
    .transform(
      (given) =>
        Object.fromEntries(SEGMENTS.map((s) => [s, { ...DEFAULT_SEGMENTS[s], ...given[s] }])) as Record<Segment, SegmentRule>,
    ),
  segmentation: segmentationSchema.default(segmentationSchema.parse({})),
  /** Customers with a CSAT at or below this score are escalated to their account manager. */
  escalateAtOrBelowCsat: z.number().int().min(1).max(5).default(2),
  /** Used when a customer has no account manager of their own. */
  defaultAccountManager: z.string().default('service-desk@example.com'),
  templates: templateSetSchema.optional(),
  /** Named messages (issue 16), chosen per touch by `messageRules` or a program's cadence and trigger messages. */
  messages: z.record(messageNameSchema, namedMessageSchema).default({}),
  /** Which named message a touch gets: the most specific rule that matches (more fields matched; ties: the first). */
  messageRules: z.array(messageRuleSchema).max(100).default([]),
  /** Offers per tier and per segment; a segment's offer wins over the tier's (docs/templates.md). */
  offers: z
    .strictObject({
      tiers: z.partialRecord(tierSchema, offerSchema).default({}),
      segments: z.partialRecord(segmentSchema, offerSchema).default({}),
    })
    .default({ tiers: {}, segments: {} }),
  /** Baselines and targets of the report's KPIs (rulebook section 6). */
  kpis: kpisSchema.default(kpisSchema.parse({})),
  /** Rulebook section 5: how fast each severity must be answered (respond) and fixed (resolve). */
  sla: z
    .strictObject({
      A: slaSchema.default({ respondHours: 2, resolveHours: 72 }),
      B: slaSchema.default({ respondHours: 24, resolveHours: 7 * 24 }),
      C: slaSchema.default({ respondHours: 48, resolveHours: 14 * 24 }),
    })
    .default({
      A: { respondHours: 2, resolveHours: 72 },
      B: { respondHours: 24, resolveHours: 7 * 24 },
      C: { respondHours: 48, resolveHours: 14 * 24 },
    }),
  /**
   * Who hears of a ticket its owner did not acknowledge in time, in order, after the customer's own
   * manager chain (customer file column managerChain): rulebook section 5, account manager -> department
   * head -> executive.
   */
  escalationChain: z
    .strictObject({ departmentHead: z.email().nullable(), executive: z.email().nullable() })
    .default({ departmentHead: 'service-head@example.com', executive: 'cx-director@example.com' }),
  /** Days after a fix within which the customer is asked whether the problem is solved (rulebook: 3). */
  confirmWithinDays: z.number().positive().max(30).default(3),
  /** Who gets the campaign report by e-mail (AWS); none: nobody. */
  owner: z.email().nullable().default(null),
  /** What the SMS asks for and the campaign's extra survey questions. */
  survey: surveySchema.default({ smsAsks: 'csat', questions: [] }),
  /** Share of contacted customers expected to answer the first touch, for the plan's projections. */
  assumedResponseRate: z.number().min(0).max(1).default(0.5),
  /** Unit prices for the cost projection of `revisit plan` (USD; check the AWS pricing pages for your region). */
  pricing: pricingSchema.default(pricingSchema.parse({})),
};

export const campaignIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'campaign id: 1-40 letters, digits, - or _');

/**
 * A campaign file. Unknown fields are refused (a misspelt setting must not silently fall back to its
 * default); every number has the rulebook's default.
 */
export const campaignSchema = z.strictObject({
  id: campaignIdSchema,
  name: z.string().min(1),
  ...audienceDefaultsShape,
  execution: z
    .strictObject({ start: isoDate, end: isoDate })
    .refine((e) => e.start <= e.end, 'the execution window must start on or before its last day')
    .default({ start: '2026-12-16', end: '2027-01-20' }),
  ...followUpSettingsShape,
});
export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignInput = z.input<typeof campaignSchema>;

export { isoDate, isoDateTime };
