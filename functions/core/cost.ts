import type { Pricing } from './schemas.js';

/**
 * What one lifecycle costs in AWS usage, by the path it takes through workflows/lifecycle.asl.json.
 * Transitions count the states entered (plus the campaign fan-out's share); Lambda invocations include
 * the inbound reply; DynamoDB units are the reads and writes the handlers and the ASL make.
 * `npm run bench` measures these on the local engine; keep them in step with BENCHMARKS.md.
 */
export const LIFECYCLE_USAGE = {
  /** Plan, Contact, AwaitResponse, reply, Evaluate: counted by `npm run bench` (BENCHMARKS.md, the happy path). */
  replied: { transitions: 8, lambdaInvocations: 4, dynamoDbWrites: 8, dynamoDbReads: 12, touches: 1 },
  /** Two touches, two timeouts, no answer. */
  noResponse: { transitions: 16, lambdaInvocations: 5, dynamoDbWrites: 10, dynamoDbReads: 16, touches: 2 },
  /** Plan finds no channel. */
  skipped: { transitions: 4, lambdaInvocations: 1, dynamoDbWrites: 1, dynamoDbReads: 4, touches: 0 },
} as const;

export interface CostInput {
  /** Customers with a first touch planned, by channel of that touch. */
  planned: { sms: number; email: number };
  skipped: number;
  /** SMS parts of one message, by recipient country, summed over the customers whose first touch is an SMS. */
  smsPartsByCountry: Record<string, number>;
  /** Parts of the SMS a re-contact would send, by country, summed over the e-mail-first customers who have a phone. */
  recontactSmsPartsByCountry: Record<string, number>;
  /** E-mail-first customers' re-contacts go by SMS and vice versa; those with one channel repeat it. */
  recontactEmails: number;
  assumedResponseRate: number;
}

export interface CostProjection {
  currency: string;
  assumptions: { responseRate: number; lambdaMemoryMb: number; lambdaAverageMs: number };
  usage: {
    transitions: number;
    lambdaInvocations: number;
    lambdaGbSeconds: number;
    dynamoDbWrites: number;
    dynamoDbReads: number;
    emails: number;
    smsParts: number;
  };
  cost: {
    stepFunctions: number;
    lambda: number;
    dynamoDb: number;
    infrastructure: number;
    sms: number;
    email: number;
    messages: number;
    total: number;
  };
  unitPrices: Pricing;
}

const round = (value: number) => Math.round(value * 100) / 100;

function smsPrice(pricing: Pricing, country: string): number {
  return pricing.smsPerPart[country] ?? pricing.smsPerPart.default ?? 0;
}

/** The projected AWS bill of a planned campaign, infrastructure and message fees apart. */
export function projectCost(input: CostInput, pricing: Pricing): CostProjection {
  const contacted = input.planned.sms + input.planned.email;
  const r = input.assumedResponseRate;
  const per = (key: keyof (typeof LIFECYCLE_USAGE)['replied']) =>
    contacted * (r * LIFECYCLE_USAGE.replied[key] + (1 - r) * LIFECYCLE_USAGE.noResponse[key]) +
    input.skipped * LIFECYCLE_USAGE.skipped[key];
  const transitions = per('transitions');
  const lambdaInvocations = per('lambdaInvocations');
  const lambdaGbSeconds = (lambdaInvocations * pricing.lambdaAverageMs * pricing.lambdaMemoryMb) / 1000 / 1024;
  const dynamoDbWrites = per('dynamoDbWrites');
  const dynamoDbReads = per('dynamoDbReads');
  let smsCost = 0;
  let smsParts = 0;
  for (const [country, parts] of Object.entries(input.smsPartsByCountry)) {
    smsParts += parts;
    smsCost += parts * smsPrice(pricing, country);
  }
  for (const [country, parts] of Object.entries(input.recontactSmsPartsByCountry)) {
    smsParts += parts * (1 - r);
    smsCost += parts * (1 - r) * smsPrice(pricing, country);
  }
  const emails = input.planned.email + input.recontactEmails * (1 - r);
  const stepFunctions = transitions * pricing.stepFunctionsPerTransition;
  const lambda = lambdaInvocations * pricing.lambdaPerRequest + lambdaGbSeconds * pricing.lambdaPerGbSecond;
  const dynamoDb = dynamoDbWrites * pricing.dynamoDbPerWrite + dynamoDbReads * pricing.dynamoDbPerRead;
  const email = emails * pricing.sesPerEmail;
  const infrastructure = stepFunctions + lambda + dynamoDb;
  return {
    currency: pricing.currency,
    assumptions: { responseRate: r, lambdaMemoryMb: pricing.lambdaMemoryMb, lambdaAverageMs: pricing.lambdaAverageMs },
    usage: {
      transitions: Math.round(transitions),
      lambdaInvocations: Math.round(lambdaInvocations),
      lambdaGbSeconds: round(lambdaGbSeconds),
      dynamoDbWrites: Math.round(dynamoDbWrites),
      dynamoDbReads: Math.round(dynamoDbReads),
      emails: Math.round(emails),
      smsParts: Math.round(smsParts),
    },
    cost: {
      stepFunctions: round(stepFunctions),
      lambda: round(lambda),
      dynamoDb: round(dynamoDb),
      infrastructure: round(infrastructure),
      sms: round(smsCost),
      email: round(email),
      messages: round(smsCost + email),
      total: round(infrastructure + smsCost + email),
    },
    unitPrices: pricing,
  };
}
