import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpRoute, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ReplyHttpApiProps {
  /** The function behind every route (reply-api). */
  readonly handler: IFunction;
  /**
   * Steady-state requests per second across all routes.
   * @default 50
   */
  readonly rateLimit?: number;
  /**
   * Burst of requests above the rate.
   * @default 100
   */
  readonly burstLimit?: number;
  /**
   * How long access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The public HTTP API customers reach from their messages: survey pages and their answers, replies
 * posted by the web page, one-click unsubscribe (GET from the page, POST from mail clients, RFC 8058).
 * Routes for systems rather than customers (`POST /events`) are added with `addIamRoute`: callers sign
 * them with SigV4, and only principals granted execute-api:Invoke on them get through.
 */
export class ReplyHttpApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  /** Base URL of the API, ending with `/`; links in messages start with it. */
  public readonly url: string;

  public constructor(scope: Construct, id: string, props: ReplyHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'revisit survey pages, replies and unsubscribes',
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, not the path: paths carry the signed link tokens, which must not end up in logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });
    this.url = this.stage.url;

    const integration = new HttpLambdaIntegration('ReplyApi', props.handler);
    const routes: [string, HttpMethod[]][] = [
      ['/replies', [HttpMethod.POST]],
      ['/s/{token}', [HttpMethod.GET, HttpMethod.POST]],
      ['/u/{token}', [HttpMethod.GET, HttpMethod.POST]],
      ['/t/{token}', [HttpMethod.GET, HttpMethod.POST]],
      ['/c/{token}', [HttpMethod.GET, HttpMethod.POST]],
    ];
    for (const [path, methods] of routes) {
      for (const route of this.api.addRoutes({ path, methods, integration })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Customers have no account: each request carries an HMAC-signed, expiring link token that reply-api verifies ' +
            'before doing anything; the stage is throttled.',
        });
      }
    }
  }

  /**
   * A route for other systems, with IAM authorization: API Gateway refuses a request that is not signed
   * (SigV4) by a principal allowed `execute-api:Invoke` on it, before the function runs.
   *
   * @param id integration id, unique in this API
   * @param path e.g. `/events`
   * @param method the one method of the route
   * @param handler the function behind it
   */
  public addIamRoute(id: string, path: string, method: HttpMethod, handler: IFunction): HttpRoute {
    const [route] = this.api.addRoutes({
      path,
      methods: [method],
      integration: new HttpLambdaIntegration(id, handler),
      authorizer: new HttpIamAuthorizer(),
    });
    if (!route) throw new Error(`no route for ${method} ${path}`);
    return route;
  }
}
