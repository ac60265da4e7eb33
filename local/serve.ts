import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { lambdaContext } from './engine.js';
import { composeEmailReply, emailReplyEvent, smsReplyEvent } from './inbound-events.js';
import type { OutboxEntry } from './outbox.js';
import type { LocalRuntime } from './runtime.js';

const MAX_BODY_BYTES = 64 * 1024;

/** A token as its path segment carries it, percent-decoded; a broken escape (%E0%A4%A) stays as written, to be refused as a link. */
function tokenOf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readOutbox(outDir: string): Promise<OutboxEntry[]> {
  try {
    const text = await readFile(join(outDir, 'outbox.jsonl'), 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as OutboxEntry];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

/** Links in message bodies, made clickable (and only http(s) links: nothing else becomes an href). */
function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<&]+/g, (url) => `<a href="${url}">${url}</a>`);
}

function outboxPage(entries: OutboxEntry[]): string {
  const byCustomer = new Map<string, OutboxEntry[]>();
  for (const entry of entries) byCustomer.set(entry.customerId, [...(byCustomer.get(entry.customerId) ?? []), entry]);
  const sections = [...byCustomer.entries()]
    .map(([customerId, messages]) => {
      const items = messages
        .map((m) => {
          const hidden = `<input type="hidden" name="messageId" value="${escapeHtml(m.messageId)}"><input type="hidden" name="from" value="${escapeHtml(m.to)}">`;
          const reply =
            m.kind !== 'touch'
              ? ''
              : m.channel === 'sms'
                ? `<form method="post" action="/sms-reply">${hidden}<label>Reply as the customer <input name="text" required maxlength="500"></label> <button type="submit">Send SMS reply</button></form>`
                : `<form method="post" action="/email-reply">${hidden}<input type="hidden" name="subject" value="${escapeHtml(m.subject)}"><label>Reply to this e-mail as the customer <textarea name="text" required maxlength="5000" rows="2"></textarea></label> <button type="submit">Send e-mail reply</button></form>`;
          const subject = m.subject ? `<p><b>${escapeHtml(m.subject)}</b></p>` : '';
          return `<li class="${escapeHtml(m.kind)}"><p class="meta">${escapeHtml(m.kind)} · touch ${escapeHtml(m.touch)} · ${escapeHtml(m.channel)} to ${escapeHtml(m.to)} · ${escapeHtml(m.sentAt)}${m.segments ? ` · ${escapeHtml(m.segments)} part(s)` : ''}</p>${subject}<pre>${linkify(m.body)}</pre>${reply}</li>`;
        })
        .join('');
      return `<section><h2>${escapeHtml(customerId)}</h2><ul>${items}</ul></section>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>revisit outbox</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem}ul{list-style:none;padding:0}li{border:1px solid #ccc;border-radius:.5rem;padding:.5rem 1rem;margin:.5rem 0}li.escalation,li.account-manager-task{border-color:#c60}pre{white-space:pre-wrap;font:inherit}.meta{color:#555;font-size:13px}:focus-visible{outline:3px solid #f5a623}</style></head><body><main><h1>Outbox (${entries.length} messages)</h1>${sections || '<p>Nothing sent yet.</p>'}</main></body></html>`;
}

function apiEvent(
  method: string,
  path: string,
  query: URLSearchParams,
  headers: IncomingMessage['headers'],
  body: string,
): APIGatewayProxyEventV2 {
  const match = /^\/(s|u|t|c)\/([^/]+)$/.exec(path);
  const routeKey = match ? `${method} /${match[1]}/{token}` : `${method} ${path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: query.toString(),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')])),
    queryStringParameters: Object.fromEntries(query),
    pathParameters: match ? { token: tokenOf(match[2] ?? '') } : undefined,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: String(headers['user-agent'] ?? '') },
    },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
  response.end(result.body ?? '');
}

/**
 * `revisit serve`: the local outbox and the customer-facing pages over real HTTP on localhost. Survey,
 * unsubscribe and reply requests go to the very reply-api handler Lambda runs (as API Gateway events);
 * an SMS typed here goes to the inbound-SMS handler as the SNS event a two-way number would publish.
 */
export function startServer(runtime: LocalRuntime, outDir: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    (async () => {
      if (method === 'GET' && url.pathname === '/') {
        send(response, {
          statusCode: 200,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: outboxPage(await readOutbox(outDir)),
        });
        return;
      }
      const body = method === 'POST' ? await readBody(request) : '';
      if (body === null) {
        send(response, {
          statusCode: 413,
          headers: { 'content-type': 'text/plain' },
          body: `request body too large: at most ${MAX_BODY_BYTES / 1024} KB`,
        });
        return;
      }
      if (method === 'POST' && url.pathname === '/sms-reply') {
        const form = new URLSearchParams(body);
        await runtime.handlers['inbound-sms'](
          smsReplyEvent(
            form.get('messageId') ?? '',
            form.get('from') ?? '',
            form.get('text') ?? '',
            runtime.clock.now().toISOString(),
          ),
          lambdaContext('revisit-inbound-sms'),
        );
        send(response, { statusCode: 303, headers: { location: '/' }, body: '' });
        return;
      }
      if (method === 'POST' && url.pathname === '/email-reply') {
        // The customer's mail client: a reply quoting our message, to its Reply-To, naming it in In-Reply-To.
        const form = new URLSearchParams(body);
        const raw = await composeEmailReply({
          from: form.get('from') ?? '',
          to: runtime.outbox.replyToAddress,
          inReplyTo: `<${form.get('messageId') ?? ''}@revisit.local>`,
          subject: `Re: ${form.get('subject') ?? ''}`,
          text: `${form.get('text') ?? ''}\n\nOn ${runtime.clock.now().toUTCString()}, revisit <revisit@example.com> wrote:\n> (the message above)\n`,
        });
        await runtime.handlers['inbound-email'](
          emailReplyEvent(raw, runtime.clock.now().toISOString()),
          lambdaContext('revisit-inbound-email'),
        );
        send(response, { statusCode: 303, headers: { location: '/' }, body: '' });
        return;
      }
      if (/^\/(s|u|t|c)\/[^/]+$/.test(url.pathname) || url.pathname === '/replies') {
        const result = (await runtime.handlers['reply-api'](
          apiEvent(method, url.pathname, url.searchParams, request.headers, body),
          lambdaContext('revisit-reply-api'),
        )) as APIGatewayProxyStructuredResultV2;
        send(response, result);
        return;
      }
      send(response, { statusCode: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' });
    })().catch((error: unknown) => {
      send(response, { statusCode: 500, headers: { 'content-type': 'text/plain' }, body: `error: ${(error as Error).name}` });
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
