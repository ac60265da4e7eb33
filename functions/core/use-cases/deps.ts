import type {
  CampaignRepository,
  Clock,
  CouponStore,
  EmailSender,
  LinkKeyProvider,
  SendRateLimiter,
  SmsSender,
  WorkflowCallback,
} from '../ports/index.js';

/**
 * Everything a use case may need; each entry point wires only what its use case uses. A use case names the
 * stores it touches as `Repo` (`Pick<Deps<TouchStore & LifecycleStore>, 'repo' | 'clock'>`).
 */
export interface Deps<Repo = CampaignRepository> {
  repo: Repo;
  clock: Clock;
  sms: SmsSender;
  email: EmailSender;
  callback: WorkflowCallback;
  links: LinkKeyProvider;
  /** Per-channel send rates, shared by every sender. */
  limiter: SendRateLimiter;
  /** Coupon codes by pool, one per customer (`{{offer.code}}`). */
  coupons: CouponStore;
  /** Base URL of the HTTP API that serves survey pages and unsubscribe links. */
  publicBaseUrl: string;
}
