import { z } from 'zod';
import { enrolInputSchema, enrolPage, type ProgramDeps, sweepInputSchema, sweepPage } from '../core/use-cases/programs.js';
import { taskHandler } from '../shared/task-handler.js';

/** The program state machine's two steps: a page of enrolment, or a page of a day's sweep. */
export const programSweepInputSchema = z.discriminatedUnion('phase', [
  enrolInputSchema.extend({ phase: z.literal('enrol') }),
  sweepInputSchema.extend({ phase: z.literal('sweep') }),
]);

export const buildProgramSweepHandler = (deps: ProgramDeps) =>
  taskHandler(
    'ProgramSweep',
    programSweepInputSchema,
    async (input): Promise<unknown> => (input.phase === 'enrol' ? enrolPage(deps, input) : sweepPage(deps, input)),
  );
