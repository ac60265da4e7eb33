import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { LinkSigningKey } from '../constructs/link-signing-key';
import { RevisitTable } from '../constructs/table';

/**
 * Stateful resources: what must survive a redeployment (or deletion) of the functions and workflows.
 * Everything here is retained on stack deletion.
 */
export class DataStack extends Stack {
  public readonly table: Table;
  public readonly tableKey: Key;
  public readonly linkSigningKey: ISecret;

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const table = new RevisitTable(this, 'Campaigns');
    this.table = table.table;
    this.tableKey = table.key;
    this.linkSigningKey = new LinkSigningKey(this, 'LinkSigningKey').secret;
  }
}
