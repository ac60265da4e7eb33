import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, it } from 'vitest';
import { TABLE_SCHEMA } from '../../../functions/adapters/dynamodb/keys.js';
import { SYNTH_TIMEOUT_MS, synthesize } from '../../support/stacks.js';

describe('revisit stacks', () => {
  let data: Template;

  beforeAll(() => {
    // Prepare
    data = Template.fromStack(synthesize().stacks.data);
  }, SYNTH_TIMEOUT_MS);

  describe('data stack', () => {
    it('keeps campaigns in an on-demand table with point-in-time recovery, encrypted with its own rotating key', () => {
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
      data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('creates the key schema and index the local engine creates in DynamoDB Local', () => {
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_SCHEMA.gsi1.name,
            KeySchema: [
              { AttributeName: TABLE_SCHEMA.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_SCHEMA.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute },
      });
    });

    it('retains the link-signing key, so links already sent keep working after a redeployment', () => {
      data.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } }),
      });
    });
  });
});
