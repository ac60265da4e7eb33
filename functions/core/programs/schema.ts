import { z } from 'zod';
import { EVENT_TYPES } from '../events.js';
import {
  audienceDefaultsShape,
  type Cadence,
  type Campaign,
  cadenceSchema,
  DEFAULT_TIERS,
  followUpSettingsShape,
  messageNameSchema,
  type NamedMessage,
  namedMessageSchema,
  TIERS,
  type Tier,
  type TierRule,
  tierRuleSchema,
  tierSchema,
} from '../schemas.js';
import { templateProblems, templatesOf } from '../templates.js';

/** Rulebook section 1: diamond 2 per month, gold 1 per month, silver 1 per quarter, basic 1 per half-year. */
export const DEFAULT_CADENCE: Record<Tier, Cadence> = {
  diamond: DEFAULT_TIERS.diamond.cadence,
  gold: DEFAULT_TIERS.gold.cadence,
  silver: DEFAULT_TIERS.silver.cadence,
  basic: DEFAULT_TIERS.basic.cadence,
};

const STEP_FORM = 'a step is a number of hours, days or weeks: 12h, 3d, 2w / 步长写作小时、天或周：12h、3d、2w';
const STEP_TEXT = /^([1-9]\d{0,3})(h|d|w)$/;
const HOURS_PER_UNIT = { h: 1, d: 24, w: 7 * 24 } as const;

/** A trigger step ("3d") in hours; null when it is not one. */
export function stepHours(step: string): number | null {
  const match = STEP_TEXT.exec(step);
  if (!match) return null;
  return Number(match[1]) * HOURS_PER_UNIT[match[2] as keyof typeof HOURS_PER_UNIT];
}

const stepSchema = z.string({ error: STEP_FORM }).refine((step) => {
  const hours = stepHours(step);
  return hours !== null && hours <= 366 * 24;
}, STEP_FORM);

const messageName = messageNameSchema;

/**
 * Follow-ups an event starts: one touch per step after it (rulebook section 1: a purchase is followed up
 * 3, 7, 30 and 90 days later), each with its own message (a post-purchase touch does not read like a
 * check-in). `tiers` limits the trigger to customers of those tiers (all by default).
 */
export const triggerSchema = z
  .strictObject({
    on: z.enum(EVENT_TYPES, { error: `on: one of ${EVENT_TYPES.join(', ')} / 事件类型为 ${EVENT_TYPES.join('、')} 之一` }),
    after: z.array(stepSchema).min(1).max(10),
    /** One message per step, in the order of `after`; left out: the program's default messages. */
    templates: z.array(messageName).optional(),
    tiers: z.array(tierSchema).min(1).optional(),
  })
  .superRefine((trigger, ctx) => {
    const hours = trigger.after.map(stepHours);
    if (hours.some((h, i) => i > 0 && h !== null && (hours[i - 1] ?? 0) >= h))
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: 'steps go from the first to the last, each later than the one before / 步长须由早到晚递增',
      });
    if (trigger.templates && trigger.templates.length !== trigger.after.length)
      ctx.addIssue({
        code: 'custom',
        path: ['templates'],
        message: `one message per step: ${trigger.after.length} steps, ${trigger.templates.length} messages / 每一步一条消息：${trigger.after.length} 步，${trigger.templates.length} 条消息`,
      });
  });
export type Trigger = z.infer<typeof triggerSchema>;

/** The rulebook's post-purchase touch points, the default trigger of a program. */
export const DEFAULT_TRIGGERS: Trigger[] = [{ on: 'purchase', after: ['3d', '7d', '30d', '90d'] }];

/** A named message of a program: the shared `messages` of followUpSettingsShape (campaigns have them too). */
export const programMessageSchema = namedMessageSchema;
export type ProgramMessage = NamedMessage;

/** The tier rules of a program: a campaign's, with the cadence set in the program's own `cadence`. */
const programTierRuleSchema = tierRuleSchema.omit({ cadence: true });

/**
 * A standing follow-up program (issue 16): touches per tier at the tier's cadence all year, and the
 * touches events trigger, under the same windows, calendar, frequency cap, send rates, survey,
 * no-response rules, SLAs and escalation as a campaign (the same schema pieces). Unknown fields are
 * refused like in a campaign file.
 */
export const programSchema = z
  .strictObject({
    id: z
      .string()
      // 31 at most: a day's wave is the campaign `<program id>-<yyyymmdd>` (campaign ids have 40 at most).
      .regex(/^[A-Za-z0-9_-]{1,31}$/, 'program id: 1-31 letters, digits, - or _ / 方案 id：1-31 个字母、数字、- 或 _'),
    name: z.string().min(1),
    ...audienceDefaultsShape,
    ...followUpSettingsShape,
    /** Touches per tier and period; a tier left out keeps the rulebook's. */
    cadence: z
      .partialRecord(tierSchema, cadenceSchema)
      .default({})
      .transform((given) => ({ ...DEFAULT_CADENCE, ...given }) as Record<Tier, Cadence>),
    /** The message of each tier's cadence touches; a tier left out: the default messages. */
    cadenceTemplates: z.partialRecord(tierSchema, messageName).default({}),
    triggers: z.array(triggerSchema).max(20).default(DEFAULT_TRIGGERS),
    /** Reply timeout and no-response rule per tier, as in a campaign (the cadence is `cadence` above). */
    tiers: z.partialRecord(tierSchema, programTierRuleSchema.partial()).default({}),
  })
  .superRefine((program, ctx) => {
    const known = new Set(Object.keys(program.messages));
    for (const [tier, name] of Object.entries(program.cadenceTemplates)) {
      if (!known.has(name))
        ctx.addIssue({ code: 'custom', path: ['cadenceTemplates', tier], message: unknownMessage(name, known) });
    }
    const labels = new Set<string>();
    for (const [i, trigger] of program.triggers.entries()) {
      for (const [j, name] of (trigger.templates ?? []).entries()) {
        if (!known.has(name))
          ctx.addIssue({ code: 'custom', path: ['triggers', i, 'templates', j], message: unknownMessage(name, known) });
      }
      for (const step of trigger.after) {
        const label = `${trigger.on}+${step}`;
        if (labels.has(label))
          ctx.addIssue({
            code: 'custom',
            path: ['triggers', i, 'after'],
            message: `${label} is given twice / ${label} 重复`,
          });
        labels.add(label);
      }
    }
  })
  .transform(({ tiers, ...program }) => ({
    ...program,
    tiers: Object.fromEntries(TIERS.map((t) => [t, { ...DEFAULT_TIERS[t], ...tiers[t], cadence: program.cadence[t] }])) as Record<
      Tier,
      TierRule
    >,
  }));
export type Program = z.infer<typeof programSchema>;
export type ProgramInput = z.input<typeof programSchema>;

function unknownMessage(name: string, known: ReadonlySet<string>): string {
  const list = known.size > 0 ? [...known].join(', ') : 'none';
  return `no message named ${name} in messages (there are: ${list}) / messages 中没有名为 ${name} 的消息`;
}

/**
 * The program as the campaign machinery takes it (templates, messages, windows, lifecycle rules), over the
 * given local dates: the lifecycle and the plan's window rules are the campaign's, not a copy of them. With
 * `message`, its channels and locales replace the program's own templates (a preview of that message alone).
 */
export function campaignOf(program: Program, execution: { start: string; end: string }, message?: ProgramMessage): Campaign {
  const { cadence: _cadence, cadenceTemplates: _ct, triggers: _t, ...settings } = program;
  const campaign: Campaign = { ...settings, execution };
  if (!message) return campaign;
  const own = templatesOf(campaign);
  return {
    ...campaign,
    templates: {
      ...settings.templates,
      sms: { ...own.sms, ...message.sms },
      email: { ...own.email, ...message.email },
    },
  };
}

/**
 * What is wrong with the program's templates, as for a campaign (Mustache, known variables, the opt-out
 * instruction, the survey and unsubscribe links), each named by its field: `templates.*` for the
 * lifecycle's own, `messages.<name>.*` for the named messages, `messageRules.*` for the rules.
 */
export function programTemplateProblems(program: Program): string[] {
  return templateProblems(campaignOf(program, { start: '2000-01-01', end: '2000-01-01' }));
}
