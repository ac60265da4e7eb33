/** In-memory stand-ins for the core's ports (functions/core/ports/), one file per port. */
export { InMemoryCampaignRepository } from './campaign-repository.js';
export { FixedClock } from './clock.js';
export { InMemoryCouponStore } from './coupon-store.js';
export { FixedLinkKey, InMemoryRateLimiter, RecordingEmailSender, RecordingSmsSender } from './messaging.js';
export { InMemoryProfileStore } from './profile-store.js';
export { InMemoryProgramStore } from './program-store.js';
export { RecordingCallback, RecordingControl, RecordingStarter } from './workflow.js';
