import type { Deps } from '../core/use-cases/deps.js';
import { listCustomers, listCustomersInputSchema } from '../core/use-cases/list-customers.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildListCustomersHandler = (deps: Pick<Deps, 'repo'>) =>
  taskHandler('ListCustomers', listCustomersInputSchema, (input) => listCustomers(deps, input));
