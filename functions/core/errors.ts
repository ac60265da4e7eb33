/**
 * Every error the state machines retry or catch, by its stable `name`.
 * These names are a contract with workflows/*.asl.json (Retry/Catch ErrorEquals): keep them here, in one place.
 * Each name is a string literal, not the class name: bundling minifies class names.
 */
export class RevisitError extends Error {
  override name: string = 'RevisitError';
}

/** A dependency (DynamoDB, a provider) failed in a way worth retrying. */
export class TransientError extends RevisitError {
  override name = 'TransientError';
}

/** The SMS or email provider throttled us; the state machine retries with backoff. */
export class ProviderThrottledError extends RevisitError {
  override name = 'ProviderThrottledError';
}

/** The recipient opted out (or has no address) between planning and sending: the touch is not sent. */
export class RecipientSuppressedError extends RevisitError {
  override name = 'RecipientSuppressedError';
}

/** Input that can never succeed (bad task input, unknown campaign or customer): not retried. */
export class InvalidInputError extends RevisitError {
  override name = 'InvalidInputError';
}

/** A record the step needs does not exist. */
export class NotFoundError extends RevisitError {
  override name = 'NotFoundError';
}

/** A signed link that is forged, expired or already used. */
export class InvalidLinkError extends RevisitError {
  override name = 'InvalidLinkError';
}

/** No contact window is left before the campaign ends: the touch cannot be scheduled. */
export class NoSendWindowError extends RevisitError {
  override name = 'NoSendWindowError';
}

/** The send time has passed out of the contact window (the lifecycle was held up): reschedule, never send at night. */
export class OutsideContactWindowError extends RevisitError {
  override name = 'OutsideContactWindowError';
}

/** The campaign is paused: nothing is sent until it resumes (the lifecycle holds before its send). */
export class CampaignPausedError extends RevisitError {
  override name = 'CampaignPausedError';
}

/** The campaign was cancelled: the lifecycle ends without sending. */
export class CampaignCancelledError extends RevisitError {
  override name = 'CampaignCancelledError';
}

/** A change that needs the campaign paused first (`revisit update`): raised to the operator, never in a workflow. */
export class CampaignNotPausedError extends RevisitError {
  override name = 'CampaignNotPausedError';
}

export const ERROR_NAMES = [
  'TransientError',
  'ProviderThrottledError',
  'RecipientSuppressedError',
  'InvalidInputError',
  'NotFoundError',
  'InvalidLinkError',
  'NoSendWindowError',
  'OutsideContactWindowError',
  'CampaignPausedError',
  'CampaignCancelledError',
  'CampaignNotPausedError',
] as const;
