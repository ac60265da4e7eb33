import { Logger } from '@aws-lambda-powertools/logger';
import { redactPersonalData } from './redact.js';

/**
 * The one logger. House rule: never log a phone number, an e-mail address or reply text; log ids,
 * counts and error names. Every entry also goes through `redactPersonalData`, so that a value logged by
 * mistake (an error message quoting input, a field named `to`) comes out masked. The incoming event is
 * never logged (handlers add the Lambda context with addContext, not injectLambdaContext's logEvent).
 * Locally the runner sets the level before handlers run.
 */
export const logger = new Logger({ serviceName: 'revisit', jsonReplacerFn: redactPersonalData });
