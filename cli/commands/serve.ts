import type { Command } from 'commander';
import { z } from 'zod';
import { integer } from './shared.js';

const serveOptions = z.object({ out: z.string(), data: z.string(), port: z.number().int() });

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the outbox of a run and the survey pages on localhost; answers are recorded in the data folder')
    .option('--out <dir>', 'the run folder whose outbox.jsonl to show', 'out')
    .option('--data <dir>', 'DynamoDB Local data folder of the run', '.revisit')
    .option('--port <n>', 'port (the links in the messages point at 8787)', integer, 8787)
    .action(async (raw: unknown) => {
      const options = serveOptions.parse(raw);
      const { startLocalRuntime } = await import('../../local/runtime.js');
      const { VirtualClock } = await import('../../local/virtual-clock.js');
      const { startServer } = await import('../../local/serve.js');
      const runtime = await startLocalRuntime({
        outDir: options.out,
        dataDir: options.data,
        clock: new VirtualClock(new Date(), 1),
        publicBaseUrl: `http://localhost:${options.port}`,
      });
      await startServer(runtime, options.out, options.port);
      console.log(`outbox and survey pages: http://localhost:${options.port}/ (Ctrl-C to stop)`);
      process.once('SIGINT', () => {
        void runtime.stop().then(() => process.exit(0));
      });
    });
}
