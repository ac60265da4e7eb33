import type { ProfileStore } from '../core/ports/index.js';
import type { Deps } from '../core/use-cases/deps.js';
import { evaluate, evaluateInputSchema } from '../core/use-cases/evaluate.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildEvaluateHandler = (deps: Pick<Deps, 'repo' | 'clock'> & { profiles?: ProfileStore }) =>
  taskHandler('Evaluate', evaluateInputSchema, (input) => evaluate(deps, input));
