import type { Command } from 'commander';
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

/** Errors an operator can act on from their message alone (a file's problem, a file not found). */
function isOperatorError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    ['ProgramFileError', 'CampaignFileError', 'CustomerFileError'].includes(error.name) || code === 'ENOENT' || code === 'EISDIR'
  );
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
    .action(async (raw: unknown) => {
      const parsed = planOptions.safeParse(raw);
      if (!parsed.success) {
        console.error(`revisit: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
        process.exitCode = 1;
        return;
      }
      const options = parsed.data;
      try {
        const { loadProgramFile } = await import('../../files/program-file.js');
        const { planProgramFromFiles } = await import('../../files/program-plan-files.js');
        const { formatProgramPlan } = await import('../program-report.js');
        const { DateTime } = await import('luxon');
        const programFile = await loadProgramFile(options.program);
        const from = options.from ?? DateTime.now().setZone(programFile.defaultTimeZone).toISODate() ?? '';
        const plan = await planProgramFromFiles({ ...options, program: programFile, from });
        console.log(formatProgramPlan(plan, programFile, options.out));
      } catch (error) {
        if (!isOperatorError(error)) throw error;
        const path = (error as NodeJS.ErrnoException).path;
        console.error(
          `revisit: ${path && (error as NodeJS.ErrnoException).code ? `cannot read ${path} / 无法读取 ${path}` : error.message}`,
        );
        process.exitCode = 1;
      }
    });
}
