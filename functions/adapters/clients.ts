import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Clock, LinkKeyProvider } from '../core/ports/index.js';

export const systemClock: Clock = {
  now: () => new Date(),
  sleepUntil: (instant) => new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - Date.now()))),
};

/**
 * How long a warm Lambda (or the local engine) reuses a campaign's record and a customer's row: sends check
 * the campaign's status afresh, and a customer's row does not change while the campaign runs.
 */
export const CAMPAIGN_CACHE_MS = 5_000;
export const REPOSITORY_CACHE = { campaignCacheMs: CAMPAIGN_CACHE_MS, customerCacheMs: 10 * 60_000 } as const;

export function dynamoDbClient(): DynamoDBClient {
  return new DynamoDBClient({ maxAttempts: 5 });
}

/** Reads the link-signing key from Secrets Manager once per container. */
export class SecretsManagerLinkKey implements LinkKeyProvider {
  private cached: Promise<string> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
  ) {}

  linkKey(): Promise<string> {
    this.cached ??= this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn })).then((r) => {
      if (!r.SecretString) throw new Error('link signing secret is empty');
      return r.SecretString;
    });
    return this.cached;
  }
}

export class StaticLinkKey implements LinkKeyProvider {
  constructor(private readonly key: string) {}
  linkKey(): Promise<string> {
    return Promise.resolve(this.key);
  }
}
