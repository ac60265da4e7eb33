import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach } from 'vitest';
import { StaticLinkKey } from '../../functions/adapters/clients.js';
import { SfnWorkflowCallback } from '../../functions/adapters/sfn-workflow-callback.js';
import { signLink } from '../../functions/core/links.js';
import { buildReplyApiHandler } from '../../functions/reply-api/handler.js';
import { FixedClock, InMemoryCampaignRepository } from './fakes/index.js';
import { CAMPAIGN_ID, customerOf, LINK_KEY, lifecycleOf, NOW, seedCampaign, seedSentTouch } from './fixtures.js';
import { type HttpRequest, httpEvent, lambdaContext, silenceLogs } from './handlers.js';

/**
 * The reply API handler on the in-memory repository with Step Functions mocked, two customers (zh-CN and
 * en-US) each with a sent e-mail whose task token is parked: the setting of test/handlers/reply-api/handler*.test.ts.
 */

/** Step Functions, mocked by useReplyApi for the file that calls it (a later mockClient of SFNClient replaces an earlier one). */
export let sfn: AwsClientStub<SFNClient>;
const context = lambdaContext('reply-api');
export const EXPIRES = Math.floor(Date.parse(NOW) / 1000) + 30 * 24 * 3600;
export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

export const customers = [
  customerOf(),
  customerOf({ id: 'C0002', name: 'Ethan Brown', locale: 'en-US', timeZone: 'America/New_York', email: 'ethan@example.com' }),
];
export const addressOf: Record<string, string> = { C0001: 'wang.fang@example.cn', C0002: 'ethan@example.com' };

export function surveyToken(customerId = 'C0001', key = LINK_KEY): string {
  return signLink({ p: 'survey', c: CAMPAIGN_ID, u: customerId, t: 1, e: EXPIRES }, key);
}

export function unsubscribeToken(customerId = 'C0001', key = LINK_KEY): string {
  return signLink({ p: 'unsubscribe', c: CAMPAIGN_ID, u: customerId, t: 1, e: EXPIRES }, key);
}

/** The repository the handler of the running test was built on (reset before each test by useReplyApi). */
export let repo: InMemoryCampaignRepository;
let handler: ReturnType<typeof buildReplyApiHandler>;

export async function call(request: HttpRequest): Promise<APIGatewayProxyStructuredResultV2> {
  return handler(httpEvent(request), context);
}

export function jsonOf(response: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(response.body ?? '');
}

/** Builds the handler and seeds the campaign before each test of the file that calls it (at its top level). */
export function useReplyApi(): void {
  sfn = mockClient(SFNClient);
  beforeAll(() => {
    silenceLogs();
  });

  beforeEach(async () => {
    sfn.reset();
    sfn.on(SendTaskSuccessCommand).resolves({});
    repo = new InMemoryCampaignRepository();
    handler = buildReplyApiHandler({
      repo,
      callback: new SfnWorkflowCallback(new SFNClient({ region: 'ap-northeast-1' })),
      clock: new FixedClock(NOW),
      links: new StaticLinkKey(LINK_KEY),
    });
    await seedCampaign(repo, { customers });
    for (const customer of customers) {
      await repo.createLifecycle(lifecycleOf({ customerId: customer.id, status: 'contacted' }));
      const key = await seedSentTouch(repo, {
        customerId: customer.id,
        channel: 'email',
        template: `email/${customer.locale}`,
        address: addressOf[customer.id] ?? '',
        messageId: `ses-${customer.id}`,
      });
      repo.parkTaskToken(key, `task-token-${customer.id}`);
    }
  });
}
