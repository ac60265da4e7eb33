/** In-memory stand-ins for the core's ports (functions/core/ports/), one file per port. */
export { InMemoryCampaignRepository } from './campaign-repository.js';
export { InMemoryCouponStore } from './coupon-store.js';
export { FixedClock } from './clock.js';
export { FixedLinkKey, InMemoryRateLimiter, RecordingEmailSender, RecordingSmsSender } from './messaging.js';
export { InMemoryProfileStore } from './profile-store.js';
export { RecordingCallback, RecordingControl, RecordingStarter } from './workflow.js';
