import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidLinkError } from '../../../functions/core/errors.js';
import { type LinkClaims, signLink, verifyLink } from '../../../functions/core/links.js';
import { LINK_KEY, NOW } from '../../support/fixtures.js';

const now = new Date(NOW);
const expires = Math.floor(now.getTime() / 1000) + 3600;
const claims: LinkClaims = { p: 'survey', c: 'spring-2027', u: 'C0001', t: 1, e: expires };

function refusalOf(token: string, key = LINK_KEY, at = now): unknown {
  try {
    verifyLink(token, key, at);
  } catch (error) {
    return error;
  }
  return null;
}

describe('signLink and verifyLink', () => {
  it('gives back the claims of a link it signed', () => {
    // Act
    const token = signLink(claims, LINK_KEY);

    // Assess
    expect(verifyLink(token, LINK_KEY, now)).toEqual(claims);
  });

  it('makes a URL-safe token', () => {
    expect(signLink(claims, LINK_KEY)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('accepts a link up to the second it expires', () => {
    const token = signLink(claims, LINK_KEY);

    expect(verifyLink(token, LINK_KEY, new Date(expires * 1000)).u).toBe('C0001');
  });

  it.each([
    [
      'a tampered payload',
      () =>
        `${Buffer.from(JSON.stringify({ ...claims, u: 'C0002' })).toString('base64url')}.${signLink(claims, LINK_KEY).split('.')[1]}`,
      'link signature does not match',
    ],
    ['a tampered signature', () => `${signLink(claims, LINK_KEY).slice(0, -2)}AA`, 'link signature does not match'],
    ['a link signed with another key', () => signLink(claims, 'another-key'), 'link signature does not match'],
    ['an expired link', () => signLink({ ...claims, e: Math.floor(now.getTime() / 1000) - 1 }, LINK_KEY), 'link expired'],
    ['a token without a signature', () => signLink(claims, LINK_KEY).split('.')[0] ?? '', 'malformed link'],
    ['a token with three parts', () => `${signLink(claims, LINK_KEY)}.extra`, 'malformed link'],
    ['an empty token', () => '', 'malformed link'],
    [
      'a correctly signed payload that is not JSON claims',
      () => {
        const payload = Buffer.from('not json').toString('base64url');
        return `${payload}.${createHmac('sha256', LINK_KEY).update(payload).digest('base64url')}`;
      },
      'malformed link',
    ],
    [
      'correctly signed claims with an unknown purpose',
      () => {
        const payload = Buffer.from(JSON.stringify({ ...claims, p: 'admin' })).toString('base64url');
        return `${payload}.${createHmac('sha256', LINK_KEY).update(payload).digest('base64url')}`;
      },
      'malformed link',
    ],
  ])('refuses %s with an InvalidLinkError', (_what, tokenOf, message) => {
    // Act
    const error = refusalOf(tokenOf());

    // Assess
    expect(error).toBeInstanceOf(InvalidLinkError);
    expect(error).toMatchObject({ name: 'InvalidLinkError', message });
  });
});
