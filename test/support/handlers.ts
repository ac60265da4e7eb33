import type { APIGatewayProxyEventV2, SNSEvent, SNSEventRecord } from 'aws-lambda';
import { logger } from '../../functions/shared/logger.js';

/** The handlers log through the one Powertools logger: keep test output to the test results. */
export function silenceLogs(): void {
  logger.setLogLevel('SILENT');
}

/** The Lambda context the local engine gives handlers. */
export { lambdaContext } from '../../local/engine.js';

export interface HttpRequest {
  routeKey: string;
  token?: string;
  body?: string;
  contentType?: string;
  query?: Record<string, string>;
  isBase64Encoded?: boolean;
}

/** An HTTP API (payload 2.0) event for one route of the reply API. */
export function httpEvent(request: HttpRequest): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = request.routeKey.split(' ');
  const rawPath = request.token === undefined ? path : path.replace('{token}', request.token);
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    headers: request.contentType ? { 'content-type': request.contentType } : {},
    queryStringParameters: request.query,
    pathParameters: request.token === undefined ? undefined : { token: request.token },
    body: request.body,
    isBase64Encoded: request.isBase64Encoded ?? false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'revisit.example.com',
      domainPrefix: 'revisit',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'request-1',
      routeKey: request.routeKey,
      stage: '$default',
      time: '16/Dec/2026:02:00:00 +0000',
      timeEpoch: Date.parse('2026-12-16T02:00:00Z'),
    },
  };
}

/** One SNS delivery record carrying `message` as published by a two-way origination number. */
export function snsRecord(snsMessageId: string, message: string, timestamp = '2026-12-16T04:00:00.000Z'): SNSEventRecord {
  return {
    EventVersion: '1.0',
    EventSource: 'aws:sns',
    EventSubscriptionArn: 'arn:aws:sns:ap-northeast-1:000000000000:inbound-sms:subscription',
    Sns: {
      SignatureVersion: '1',
      Timestamp: timestamp,
      Signature: 'signature',
      SigningCertUrl: 'https://sns.example.com/cert.pem',
      MessageId: snsMessageId,
      Message: message,
      MessageAttributes: {},
      Type: 'Notification',
      UnsubscribeUrl: 'https://sns.example.com/unsubscribe',
      TopicArn: 'arn:aws:sns:ap-northeast-1:000000000000:inbound-sms',
    },
  };
}

export function snsEvent(...records: SNSEventRecord[]): SNSEvent {
  return { Records: records };
}
