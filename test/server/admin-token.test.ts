import { describe, expect, it } from 'vitest';
import { readAdminToken, TinybirdConfigError } from 'react-tinybird/server';
import { WORKSPACE_ID, makeAdminToken } from './fixtures';

describe('readAdminToken', () => {
  it("reads `u` and `host` from a token in Tinybird's shape (p.<base64url JSON>.<signature>)", () => {
    expect(readAdminToken(makeAdminToken())).toEqual({
      workspaceId: WORKSPACE_ID,
      host: 'eu_shared',
      baseUrl: 'https://api.tinybird.co',
    });
  });

  it.each([
    ['eu_shared', 'https://api.tinybird.co'],
    ['us_east', 'https://api.us-east.tinybird.co'],
    ['us-east-aws', 'https://api.us-east.aws.tinybird.co'],
    ['gcp-europe-west2', 'https://api.europe-west2.gcp.tinybird.co'],
    ['gcp-northamerica-northeast2', 'https://api.northamerica-northeast2.gcp.tinybird.co'],
    ['aws-eu-central-1', 'https://api.eu-central-1.aws.tinybird.co'],
    ['aws-us-west-2', 'https://api.us-west-2.aws.tinybird.co'],
    ['local', 'http://localhost:7181'],
    ['http://127.0.0.1:7181/', 'http://127.0.0.1:7181'],
    ['https://tinybird.internal.example.com', 'https://tinybird.internal.example.com'],
  ])('maps host %j to %s', (host, baseUrl) => {
    expect(readAdminToken(makeAdminToken({ host })).baseUrl).toBe(baseUrl);
  });

  it('leaves baseUrl undefined for an unknown region, and keeps the raw host', () => {
    expect(readAdminToken(makeAdminToken({ host: 'itx_c_pro' }))).toEqual({
      workspaceId: WORKSPACE_ID,
      host: 'itx_c_pro',
    });
  });

  it('reads old tokens without a host claim', () => {
    const token = `p.${Buffer.from('{"u": "ws-old", "id": "t"}').toString('base64url')}.sig`;
    expect(readAdminToken(token)).toEqual({ workspaceId: 'ws-old' });
  });

  it('tolerates padded standard base64, trailing parts and surrounding whitespace', () => {
    const json = '{"u": "ws-padded", "host": "eu_shared", "x": "??>>"}';
    const token = `p.${Buffer.from(json).toString('base64')}.sig.more`;
    expect(token).toMatch(/[+/=]/); // the case under test really uses the standard alphabet
    expect(readAdminToken(` ${token}\n`).workspaceId).toBe('ws-padded');
    expect(readAdminToken(`p.${Buffer.from(json).toString('base64url')}`).workspaceId).toBe('ws-padded');
  });

  it.each([
    ['', /empty/],
    ['eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln', /looks like a JWT/],
    ['xyz', /not a Tinybird static token/],
    ['p.', /no workspace id/],
    [`p.${Buffer.from('[1,2]').toString('base64url')}.s`, /no workspace id/],
    [`p.${Buffer.from('{"u": 7}').toString('base64url')}.s`, /no workspace id/],
  ])('throws a TypeError for %j', (token, message) => {
    expect(() => readAdminToken(token)).toThrow(TypeError);
    expect(() => readAdminToken(token)).toThrow(message);
  });

  it('the error is a TinybirdConfigError with a code, and its detail without the package prefix', () => {
    let error: unknown;
    try {
      readAdminToken('xyz');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TinybirdConfigError);
    expect(error).toMatchObject({
      code: 'INVALID_SIGNING_KEY',
      detail: expect.stringMatching(/^the signing key is not/),
    });
    expect((error as Error).message).toBe(`react-tinybird/server: ${(error as TinybirdConfigError).detail}`);
  });
});
