import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../files/campaign-file.js';
import type { TicketRecord } from '../../functions/core/records.js';
import { runCampaign } from '../../local/run-campaign.js';
import { dataDirFor } from '../support/data-dir.js';

interface Sent {
  customerId: string;
  touch: number;
  kind: string;
  channel: string;
}

function outboxOf(outDir: string): Sent[] {
  const file = join(outDir, 'outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Sent];
      } catch {
        return []; // the killed run may have left half a line
      }
    });
}

describe('a run killed mid-campaign and resumed', () => {
  it('sends nothing twice and takes every lifecycle to its end', async () => {
    // Prepare: the CLI runs the example campaign in its own process group (node, tsx and DynamoDB Local's Java)
    const outDir = mkdtempSync(join(tmpdir(), 'revisit-crash-out-'));
    const dataDir = dataDirFor('revisit-crash-data-');
    const args = ['bin/revisit.mjs', 'run', '--customers', 'examples/customers.csv'];
    args.push('--campaign', 'examples/spring-festival-2027.yaml', '--out', outDir, '--data', dataDir);
    const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));

    // Act 1: kill -9 the whole group once a third of the first touches are out, mid-send
    const deadline = Date.now() + 120_000;
    while (outboxOf(outDir).filter((m) => m.kind === 'touch').length < 60) {
      if (Date.now() > deadline) throw new Error('the first run sent too little in 2 minutes');
      await sleep(50);
    }
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    const beforeCrash = outboxOf(outDir);

    // Act 2: resume on the same data and output folders
    const unfinished: string[] = [];
    let tickets: TicketRecord[] = [];
    const resumed = await runCampaign({
      customersFile: 'examples/customers.csv',
      campaign: await loadCampaignFile('examples/spring-festival-2027.yaml'),
      outDir,
      replies: 'simulate',
      seed: 42,
      timeScale: Number.POSITIVE_INFINITY,
      dataDir,
      resume: true,
      inspect: async (runtime) => {
        tickets = await runtime.repo.listTickets('spring-festival-2027');
        for (const l of await runtime.repo.listLifecycles('spring-festival-2027')) {
          if (l.finishedAt === null) unfinished.push(`${l.customerId} ${l.status} ${l.failure ?? ''}`);
        }
      },
    });

    // Assess
    const all = outboxOf(outDir);
    expect(all.length).toBeGreaterThan(beforeCrash.length);
    // Customer messages and call tasks: one per touch. Ticket e-mails: one, plus one per step up the chain
    // and per reopening, as the ticket records them.
    const counts = new Map<string, number>();
    for (const m of all) {
      const id = `${m.kind} ${m.customerId} touch ${m.touch}`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const allowed = (id: string) => {
      const ticket = tickets.find((t) => id === `escalation ${t.customerId} touch ${t.touch}`);
      return ticket ? 1 + ticket.climbs.length + ticket.reopened : 1;
    };
    expect([...counts].filter(([id, n]) => n > allowed(id))).toEqual([]);
    expect(unfinished).toEqual([]);
    expect(resumed.summary).toMatchObject({ customers: 200, planned: 200, failed: 0 });
    expect(resumed.simulatorErrors).toEqual([]);
    // Two whole runs of the 200-customer example in other processes: more than the project's 180 s on a busy machine.
  }, 420_000);
});
