import type {
  CampaignRepository,
  Clock,
  EmailSender,
  LinkKeyProvider,
  SendRateLimiter,
  SmsSender,
  WorkflowCallback,
} from '../ports.js';

/** Everything a use case may need; each entry point wires only what its use case uses. */
export interface Deps {
  repo: CampaignRepository;
  clock: Clock;
  sms: SmsSender;
  email: EmailSender;
  callback: WorkflowCallback;
  links: LinkKeyProvider;
  /** Per-channel send rates, shared by every sender. */
  limiter: SendRateLimiter;
  /** Base URL of the HTTP API that serves survey pages and unsubscribe links. */
  publicBaseUrl: string;
}
