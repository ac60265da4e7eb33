import type { LifecycleStarter } from '../core/ports/index.js';
import type { Deps } from '../core/use-cases/deps.js';
import { startLifecycles, startLifecyclesInputSchema } from '../core/use-cases/start-lifecycles.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildStartLifecyclesHandler = (deps: Pick<Deps, 'repo'> & { starter: LifecycleStarter }) =>
  taskHandler('StartLifecycles', startLifecyclesInputSchema, (input) => startLifecycles(deps, input));
