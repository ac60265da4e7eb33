import type { Deps } from '../core/use-cases/deps.js';
import { type PlanInput, plan, planInputSchema } from '../core/use-cases/plan.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildPlanHandler = (deps: Pick<Deps, 'repo' | 'clock'>) =>
  taskHandler('Plan', planInputSchema, (input: PlanInput) => plan(deps, input));
