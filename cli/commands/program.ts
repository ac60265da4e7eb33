import { type Command, Option } from 'commander';
import { z } from 'zod';

const planOptions = z.object({
  customers: z.string().min(1),
  program: z.string().min(1),
  events: z.string().min(1).optional(),
  from: z.iso.date({ error: '--from: a date like 2027-01-01 / 日期，如 2027-01-01' }).optional(),
  months: z.coerce
    .number({ error: '--months: a whole number of months, 1-60 / 月数：1-60 的整数' })
    .int('--months: a whole number of months, 1-60 / 月数：1-60 的整数')
    .min(1, '--months: a whole number of months, 1-60 / 月数：1-60 的整数')
    .max(60, '--months: a whole number of months, 1-60 / 月数：1-60 的整数'),
  out: z.string().min(1),
});

const runOptions = planOptions.extend({
  replies: z.enum(['simulate', 'none']),
  seed: z.coerce.number().int(),
  data: z.string().min(1),
  fresh: z.boolean(),
  resume: z.boolean(),
  reset: z.boolean(),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']),
});

/** Errors an operator can act on from their message alone (a file's problem, a file not found). */
function isOperatorError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    ['ProgramFileError', 'CampaignFileError', 'CustomerFileError', 'CampaignExistsError'].includes(error.name) ||
    code === 'ENOENT' ||
    code === 'EISDIR'
  );
}

/**
 * A program command's action: its options checked (a bad one said in one line), then `body`; an error an
 * operator can act on (a file's problem, a file not found) printed in one line with exit code 1.
 */
function commandAction<S extends z.ZodType>(schema: S, body: (options: z.infer<S>) => Promise<void>) {
  return async (raw: unknown) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      console.error(`revisit: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      process.exitCode = 1;
      return;
    }
    try {
      await body(parsed.data);
    } catch (error) {
      if (!isOperatorError(error)) throw error;
      const path = (error as NodeJS.ErrnoException).path;
      console.error(
        `revisit: ${path && (error as NodeJS.ErrnoException).code ? `cannot read ${path} / 无法读取 ${path}` : error.message}`,
      );
      process.exitCode = 1;
    }
  };
}

/** `revisit program plan`: standing programs (issue 16). */
export function registerProgram(program: Command): void {
  const command = program
    .command('program')
    .description('standing follow-up programs: per-tier cadence all year and touches triggered by events / 常态回访方案');

  command
    .command('plan')
    .description(
      'dry run of a program over N months: every touch placed, the frequency cap arbitrating; sends nothing, stores nothing / 方案预演，不发送、不存储',
    )
    .requiredOption('--customers <file>', 'customer file (CSV with a header row, or JSON lines) / 客户文件')
    .requiredOption('--program <file>', 'program file (YAML or JSON) / 方案文件')
    .option('--events <file>', 'customer events, JSON lines (purchases start the post-purchase follow-ups) / 客户事件')
    .option('--from <date>', "first day (YYYY-MM-DD); default: today in the program's default zone / 起始日，默认今天")
    .requiredOption('--months <n>', 'months to plan / 月数')
    .requiredOption('--out <dir>', 'output folder for calendar.json, calendar.csv, rejected.csv / 输出目录')
    .action(
      commandAction(planOptions, async (options) => {
        const { loadProgramFile } = await import('../../files/program-file.js');
        const { planProgramFromFiles } = await import('../../files/program-plan-files.js');
        const { formatProgramPlan } = await import('../program-report.js');
        const { DateTime } = await import('luxon');
        const programFile = await loadProgramFile(options.program);
        const from = options.from ?? DateTime.now().setZone(programFile.defaultTimeZone).toISODate() ?? '';
        const plan = await planProgramFromFiles({ ...options, program: programFile, from });
        console.log(formatProgramPlan(plan, programFile, options.out));
      }),
    );

  command
    .command('run')
    .description(
      'simulate a program over N months on the local engine (the real state machines and handlers, a compressed clock): outbox.jsonl, profiles.jsonl, summary.json, report.md / 本地模拟运行方案',
    )
    .requiredOption('--customers <file>', 'customer file (CSV with a header row, or JSON lines) / 客户文件')
    .requiredOption('--program <file>', 'program file (YAML or JSON) / 方案文件')
    .option('--events <file>', 'customer events, JSON lines, fed in at their time / 客户事件（按时间送入）')
    .option('--from <date>', "first day (YYYY-MM-DD); default: today in the program's default zone / 起始日，默认今天")
    .requiredOption('--months <n>', 'months to run / 月数')
    .requiredOption('--out <dir>', 'output folder / 输出目录')
    .option('--data <dir>', 'DynamoDB Local data folder (profiles, opt-outs and contact history are shared)', '.revisit')
    .addOption(
      new Option('--replies <mode>', 'simulate customers answering, or nobody').choices(['simulate', 'none']).default('simulate'),
    )
    .option('--seed <n>', 'seed of the reply simulator', '42')
    .option('--fresh', "delete this program's records from an earlier run first (profiles and opt-outs are kept)", false)
    .option('--resume', 'go on with a run that stopped (a crash, Ctrl-C): nothing sent is sent again', false)
    .option('--reset', 'empty the data folder first: every profile, campaign, program and opt-out (for demos)', false)
    .addOption(
      new Option('--log-level <level>', "the handlers' JSON logs (stdout; personal data masked)")
        .choices(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'])
        .default('ERROR'),
    )
    .action(
      commandAction(runOptions, async (options) => {
        if (options.resume && (options.fresh || options.reset)) {
          console.error('revisit: --resume goes on with an earlier run; it cannot be combined with --fresh or --reset');
          process.exitCode = 1;
          return;
        }
        const { rmSync } = await import('node:fs');
        const { SingleBar } = await import('cli-progress');
        const { DateTime } = await import('luxon');
        const { loadProgramFile } = await import('../../files/program-file.js');
        const { runProgram } = await import('../../local/run-program.js');
        const { formatProgramRun } = await import('../program-report.js');
        const programFile = await loadProgramFile(options.program);
        const from = options.from ?? DateTime.now().setZone(programFile.defaultTimeZone).toISODate() ?? '';
        if (options.reset) rmSync(options.data, { recursive: true, force: true });
        const started = performance.now();
        const bar = new SingleBar({
          format:
            ' program |{bar}| day {value}/{total} | {sent} sent | {replied} replies | {events} events | ETA {eta_formatted}',
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 2000,
          etaBuffer: 30,
        });
        let barStarted = false;
        const result = await runProgram({
          customersFile: options.customers,
          program: programFile,
          eventsFile: options.events,
          from,
          months: options.months,
          outDir: options.out,
          replies: options.replies,
          seed: options.seed,
          timeScale: Number.POSITIVE_INFINITY,
          dataDir: options.data,
          fresh: options.fresh,
          resume: options.resume,
          logLevel: options.logLevel,
          onProgress: (p) => {
            if (!barStarted) {
              bar.start(p.days, 0, { sent: 0, replied: 0, events: 0 });
              barStarted = true;
            }
            bar.update(p.day, { sent: p.sent, replied: p.replied, events: p.events });
          },
        });
        if (barStarted) bar.stop();
        console.log(formatProgramRun(result.summary, programFile, options.out, (performance.now() - started) / 1000));
        if (result.simulatorErrors.length > 0) {
          console.error(`simulated replies that failed: ${result.simulatorErrors.length}`);
          for (const error of result.simulatorErrors.slice(0, 5)) console.error(`  ${error}`);
          process.exitCode = 1;
        }
      }),
    );
}
