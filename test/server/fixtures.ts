// Builds admin tokens in Tinybird's real shape: `p.` + base64url of Python-style JSON (spaces after separators) + `.` + signature.
export function makeAdminToken(claims: Record<string, unknown> = {}): string {
  const json = JSON.stringify({
    u: 'c0ffee00-1111-4222-8333-444455556666',
    id: 'a19f2352-67db-45e6-a3cc-5743613bc4a7',
    host: 'eu_shared',
    ...claims,
  })
    .replace(/":/g, '": ')
    .replace(/,"/g, ', "');
  return `p.${Buffer.from(json).toString('base64url')}.P67MfoqTixyasaMGH5RIjCrGc0bUKvBoKMwYjfqQN8c`;
}

export const WORKSPACE_ID = 'c0ffee00-1111-4222-8333-444455556666';
export const ADMIN_TOKEN = makeAdminToken();
