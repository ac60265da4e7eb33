import { z } from 'zod';
import type { Deps } from '../core/use-cases/deps.js';
import { escalate, escalateInputSchema } from '../core/use-cases/escalate.js';
import { runTicketTask, ticketTaskSchema } from '../core/use-cases/tickets.js';
import { taskHandler } from '../shared/task-handler.js';

/** The escalate function also runs the ticket's steps (climb the chain, confirm, close): the same deps, the same managers. */
const inputSchema = z.union([ticketTaskSchema, escalateInputSchema]);

export const buildEscalateHandler = (deps: Pick<Deps, 'repo' | 'clock' | 'email' | 'links' | 'publicBaseUrl'>) =>
  taskHandler(
    'Escalate',
    inputSchema,
    (input): Promise<unknown> => ('action' in input ? runTicketTask(deps, input) : escalate(deps, input)),
  );
