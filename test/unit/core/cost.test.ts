import { describe, expect, it } from 'vitest';
import { type CampaignPlan, planCampaign } from '../../../functions/core/campaign-plan.js';
import { type CostInput, LIFECYCLE_USAGE, projectCost } from '../../../functions/core/cost.js';
import { type CampaignInput, type Customer, pricingSchema } from '../../../functions/core/schemas.js';
import { CUTOFFS, campaignOf, customerOf } from '../../support/fixtures.js';

/** 09:00 in Shanghai on the first day of the default execution window. */
const OPENING = new Date('2026-12-16T01:00:00Z');

/** Every unit price zero, so a test sees only the price it sets. */
const FREE = {
  stepFunctionsPerTransition: 0,
  lambdaPerRequest: 0,
  lambdaPerGbSecond: 0,
  dynamoDbPerWrite: 0,
  dynamoDbPerRead: 0,
  sesPerEmail: 0,
  smsPerPart: { default: 0, CN: 0, US: 0 },
};

function emailCustomers(count: number): Customer[] {
  return Array.from({ length: count }, (_, i) => customerOf({ id: `E${i}`, phone: null }));
}

function smsCustomer(id: string, phone: string): Customer {
  return customerOf({ id, phone, email: null });
}

function plan(customers: readonly Customer[], campaign: Partial<CampaignInput>): CampaignPlan {
  return planCampaign(customers, campaignOf({ maxTouches: 1, ...campaign }), CUTOFFS, OPENING);
}

function input(overrides: Partial<CostInput> = {}): CostInput {
  return {
    planned: { sms: 0, email: 0 },
    skipped: 0,
    smsPartsByCountry: {},
    recontactSmsPartsByCountry: {},
    recontactEmails: 0,
    assumedResponseRate: 0.5,
    ...overrides,
  };
}

describe("the plan's cost projection", () => {
  it("moves the total by exactly the e-mails times the change of the campaign's price per e-mail", () => {
    // Prepare
    const customers = emailCustomers(4);

    // Act
    const base = plan(customers, { pricing: { sesPerEmail: 0.0001 } }).totals.cost;
    const dearer = plan(customers, { pricing: { sesPerEmail: 0.2501 } }).totals.cost;

    // Assess
    expect(base.usage.emails).toBe(4);
    expect(dearer.unitPrices.sesPerEmail).toBe(0.2501);
    expect(dearer.cost.email).toBe(1);
    expect(dearer.cost.total - base.cost.total).toBeCloseTo(4 * 0.25, 10);
    expect(dearer.cost.infrastructure).toBe(base.cost.infrastructure);
  });

  it("prices e-mails only with the campaign's price when everything else is free", () => {
    // Act
    const cost = plan(emailCustomers(4), { pricing: { ...FREE, sesPerEmail: 0.5 } }).totals.cost;

    // Assess
    expect(cost.cost).toEqual({
      stepFunctions: 0,
      lambda: 0,
      dynamoDb: 0,
      infrastructure: 0,
      sms: 0,
      email: 2,
      messages: 2,
      total: 2,
    });
  });

  it('prices SMS parts by the country of the number: CN and US at their own price, others at the default', () => {
    // Prepare: one zh-CN message is one UCS-2 part
    const customers = [
      smsCustomer('CN1', '+8613800138000'),
      smsCustomer('CN2', '+8613800138001'),
      smsCustomer('US1', '+14155552671'),
      smsCustomer('FR1', '+33612345678'),
    ];
    const pricing = { ...FREE, smsPerPart: { CN: 0.1, US: 0.2, default: 0.5 } };

    // Act
    const result = plan(customers, { pricing });

    // Assess
    expect(result.customers.map((c) => [c.id, c.touches[0]?.channel, c.smsParts])).toEqual([
      ['CN1', 'sms', 1],
      ['CN2', 'sms', 1],
      ['FR1', 'sms', 1],
      ['US1', 'sms', 1],
    ]);
    expect(result.totals.smsParts).toBe(4);
    expect(result.totals.cost.cost.sms).toBeCloseTo(2 * 0.1 + 0.2 + 0.5, 10);
  });

  it('counts every part of a longer message at its country price', () => {
    // Prepare: the en-US message does not fit one UCS-2 part
    const customers = [customerOf({ id: 'US1', phone: '+14155552671', email: null, locale: 'en-US' })];

    // Act
    const result = plan(customers, { pricing: { ...FREE, smsPerPart: { CN: 0.1, US: 0.2, default: 0.5 } } });

    // Assess
    expect(result.customers[0]?.smsParts).toBe(2);
    expect(result.totals.cost.cost.sms).toBeCloseTo(2 * 0.2, 10);
  });

  it("keeps the rulebook's price for countries a campaign's own SMS price table leaves out", () => {
    // Prepare: the campaign re-prices China only; ten one-part messages to the US
    const customers = Array.from({ length: 10 }, (_, i) => smsCustomer(`US${i}`, '+14155552671'));

    // Act
    const cost = plan(customers, { pricing: { smsPerPart: { CN: 0.04 } } }).totals.cost;

    // Assess: a US part is not free because the campaign's table lists neither the US nor a default
    expect(cost.usage.smsParts).toBe(10);
    expect(cost.cost.sms).toBe(0.09); // 10 x 0.00883, the rulebook's US price
  });

  it('reports message fees apart from infrastructure', () => {
    // Prepare: prices high enough to show in cents for four customers
    const customers = [...emailCustomers(3), smsCustomer('CN1', '+8613800138000')];
    const infrastructure = {
      stepFunctionsPerTransition: 0.01,
      lambdaPerRequest: 0.001,
      dynamoDbPerWrite: 0.001,
      dynamoDbPerRead: 0.001,
    };
    const messages = { sesPerEmail: 0.1, smsPerPart: { default: 0.3, CN: 0.3, US: 0.3 } };

    // Act
    const priced = plan(customers, { pricing: { ...FREE, ...infrastructure, ...messages } }).totals.cost;
    const freeMessages = plan(customers, { pricing: { ...FREE, ...infrastructure } }).totals.cost;
    const freeInfrastructure = plan(customers, { pricing: { ...FREE, ...messages } }).totals.cost;

    // Assess
    expect(priced.cost.infrastructure).toBeGreaterThan(0);
    expect(priced.cost.messages).toBeGreaterThan(0);
    expect(freeMessages.cost.messages).toBe(0);
    expect(freeMessages.cost.infrastructure).toBe(priced.cost.infrastructure);
    expect(freeInfrastructure.cost.infrastructure).toBe(0);
    expect(freeInfrastructure.cost.messages).toBe(priced.cost.messages);
    expect(priced.cost.email).toBeCloseTo(3 * 0.1, 10);
    expect(priced.cost.sms).toBeCloseTo(0.3, 10);
    expect(priced.cost.messages).toBeCloseTo(priced.cost.sms + priced.cost.email, 10);
  });
});

describe('projectCost', () => {
  const pricing = pricingSchema.parse({ ...FREE, smsPerPart: { CN: 0.1, US: 0.2, default: 0.5 } });

  it('prices first-touch SMS parts by country and re-contact parts at the no-response share', () => {
    // Prepare: half the customers are assumed to answer, so half the re-contacts are sent
    const cost = input({
      planned: { sms: 9, email: 0 },
      smsPartsByCountry: { CN: 3, US: 2, FR: 4 },
      recontactSmsPartsByCountry: { US: 10 },
    });

    // Act
    const projection = projectCost(cost, pricing);

    // Assess
    expect(projection.usage.smsParts).toBe(3 + 2 + 4 + 5);
    expect(projection.cost.sms).toBeCloseTo(3 * 0.1 + 2 * 0.2 + 4 * 0.5 + 5 * 0.2, 10);
    expect(projection.cost.infrastructure).toBe(0);
  });

  it('counts infrastructure by the lifecycle paths, apart from message fees', () => {
    // Prepare: 10 contacted with none answering, and 2 skipped; one price per kind of usage
    const cost = input({ planned: { sms: 0, email: 10 }, skipped: 2, assumedResponseRate: 0 });
    const unit = pricingSchema.parse({ ...FREE, stepFunctionsPerTransition: 0.01, sesPerEmail: 1 });

    // Act
    const projection = projectCost(cost, unit);

    // Assess
    const transitions = 10 * LIFECYCLE_USAGE.noResponse.transitions + 2 * LIFECYCLE_USAGE.skipped.transitions;
    expect(projection.usage.transitions).toBe(transitions);
    expect(projection.cost.stepFunctions).toBeCloseTo(transitions * 0.01, 10);
    expect(projection.cost.infrastructure).toBe(projection.cost.stepFunctions);
    expect(projection.cost.messages).toBe(10);
    expect(projection.cost.total).toBeCloseTo(transitions * 0.01 + 10, 10);
  });
});
