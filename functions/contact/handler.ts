import { contactCustomer, contactInputSchema } from '../core/use-cases/contact.js';
import type { Deps } from '../core/use-cases/deps.js';
import { taskHandler } from '../shared/task-handler.js';

export const buildContactHandler = (
  deps: Pick<Deps, 'repo' | 'clock' | 'sms' | 'email' | 'links' | 'publicBaseUrl' | 'limiter'> & Partial<Pick<Deps, 'coupons'>>,
) => taskHandler('Contact', contactInputSchema, (input) => contactCustomer(deps, input));
