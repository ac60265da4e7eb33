import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. House rule: never log a phone number, an e-mail address or reply text; log ids,
 * counts and error names. Locally the runner sets POWERTOOLS_LOG_LEVEL before handlers load.
 */
export const logger = new Logger({ serviceName: 'revisit' });
