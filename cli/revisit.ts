import { Command, InvalidArgumentError } from 'commander';
import { registerCoupons } from './commands/coupons.js';
import { registerCustomer } from './commands/customer.js';
import { registerCustomers } from './commands/customers.js';
import { registerDeploy } from './commands/deploy.js';
import { registerEvents } from './commands/events.js';
import { registerLaunch } from './commands/launch.js';
import { registerOperations, registerUpdate } from './commands/operate.js';
import { registerPlan } from './commands/plan.js';
import { registerProgram } from './commands/program.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';

/** Errors the operator can act on: their message is enough; anything else prints its stack. */
const OPERATOR_ERRORS = new Set([
  'CampaignFileError',
  'CampaignExistsError',
  'StackNotReadyError',
  'NotFoundError',
  'CouponFileError',
]);

const program = new Command()
  .name('revisit')
  .description('Customer follow-up (回访) campaigns: runs locally by default, on AWS Step Functions when deployed.')
  .showHelpAfterError();

registerPlan(program);
registerProgram(program);
registerRun(program);
registerLaunch(program);
registerReport(program);
registerStatus(program);
registerOperations(program);
registerUpdate(program);
registerCustomer(program);
registerCustomers(program);
registerEvents(program);
registerCoupons(program);
registerDeploy(program);
registerServe(program);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof InvalidArgumentError || (error instanceof Error && OPERATOR_ERRORS.has(error.name)))
    console.error(`revisit: ${error.message}`);
  else console.error(`revisit: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
