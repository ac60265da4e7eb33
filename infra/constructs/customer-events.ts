import { Duration, Validations } from 'aws-cdk-lib';
import { HttpMethod, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { EventBus, type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CUSTOMER_EVENT_DETAIL_TYPE, DEFAULT_EVENT_SOURCE } from '../../functions/events/contract';
import type { ReplyHttpApi } from './http-api';

export interface CustomerEventsProps {
  /** The events function: it takes both the rule's events and the route's requests. */
  readonly handler: IFunction;
  /** The API `POST /events` is added to, with IAM authorization. */
  readonly httpApi: ReplyHttpApi;
  /**
   * The bus the rule listens on: `default` or the name of an existing bus.
   * @default 'default'
   */
  readonly eventBusName?: string;
  /**
   * The `source` the rule matches.
   * @default 'revisit.customers'
   */
  readonly source?: string;
}

/**
 * The two ways customer events (issue 16) come in, to the one events function:
 * - an EventBridge rule on the default or a named bus, matching `source` and `detail-type: Customer Event`
 *   (the `detail` is one event). EventBridge invokes the function asynchronously: what it cannot deliver
 *   goes to `undelivered` (this construct's queue, on the target); an event whose processing failed every
 *   try goes to the function's own dead-letter queue (RevisitFunction `deadLetterQueue`).
 * - `POST /events` on the HTTP API, IAM-authorized (SigV4): never public.
 */
export class CustomerEvents extends Construct {
  public readonly bus: IEventBus;
  public readonly rule: Rule;
  /** Events EventBridge could not hand to the function after its retries (kept 14 days, encrypted). */
  public readonly undelivered: Queue;
  public readonly route: HttpRoute;
  /** The full URL of `POST /events`. */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: CustomerEventsProps) {
    super(scope, id);
    const busName = props.eventBusName ?? 'default';
    this.bus = EventBus.fromEventBusName(this, 'Bus', busName);
    this.undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.undelivered).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the EventBridge rule target's DeadLetterConfig, which the check does not " +
        'recognise as one (it knows queue redrive policies and Lambda DeadLetterConfig only).',
    });
    this.rule = new Rule(this, 'Rule', {
      eventBus: this.bus,
      description: 'revisit: customer events (purchase, delivery, complaint, contract-end) into the profiles',
      eventPattern: { source: [props.source ?? DEFAULT_EVENT_SOURCE], detailType: [CUSTOMER_EVENT_DETAIL_TYPE] },
      targets: [
        new LambdaFunction(props.handler, {
          deadLetterQueue: this.undelivered,
          // EventBridge's own defaults, written out: a day of retries for a function it cannot reach.
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    this.route = props.httpApi.addIamRoute('Events', '/events', HttpMethod.POST, props.handler);
    this.url = `${props.httpApi.url}events`;
  }
}
