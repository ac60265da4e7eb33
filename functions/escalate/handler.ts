import type { Deps } from '../core/use-cases/deps.js';
import { escalate, escalateInputSchema } from '../core/use-cases/escalate.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildEscalateHandler = (deps: Pick<Deps, 'repo' | 'clock' | 'email'>) =>
  taskHandler('Escalate', escalateInputSchema, (input) => escalate(deps, input));
