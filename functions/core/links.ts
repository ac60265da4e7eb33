import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { InvalidLinkError } from './errors.js';

/** What a signed customer link points at: one touch of one customer's lifecycle. */
export const linkClaimsSchema = z.object({
  /** purpose: survey answer, unsubscribe, a manager's ticket page, the customer's confirmation of a fix */
  p: z.enum(['survey', 'unsubscribe', 'ticket', 'confirm']),
  c: z.string(),
  u: z.string(),
  t: z.number().int().min(1),
  /** expiry, epoch seconds */
  e: z.number().int(),
});
export type LinkClaims = z.infer<typeof linkClaimsSchema>;

function signature(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/** `payload.signature`, both base64url: short enough for an SMS, verifiable without a database read. */
export function signLink(claims: LinkClaims, key: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${signature(payload, key)}`;
}

export function verifyLink(token: string, key: string, now: Date): LinkClaims {
  const [payload, sig, ...rest] = token.split('.');
  if (!payload || !sig || rest.length > 0) throw new InvalidLinkError('malformed link');
  const expected = Buffer.from(signature(payload, key));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new InvalidLinkError('link signature does not match');
  }
  let claims: LinkClaims;
  try {
    claims = linkClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidLinkError('malformed link');
  }
  if (claims.e * 1000 < now.getTime()) throw new InvalidLinkError('link expired');
  return claims;
}
