import type { Deps } from '../core/use-cases/deps.js';
import { evaluate, evaluateInputSchema } from '../core/use-cases/evaluate.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildEvaluateHandler = (deps: Pick<Deps, 'repo' | 'clock'>) =>
  taskHandler('Evaluate', evaluateInputSchema, (input) => evaluate(deps, input));
