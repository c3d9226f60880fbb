// A fixed_params key the pipe does not read: found from the templates, and the local server says so once.
import { afterAll, describe, expect, it } from 'vitest';
import { unreadPins } from '../../../src/local/types-gen/unread-pins';
import { devProject, type DevProject } from '../cli';

const node = (sql: string) => ({ name: 'endpoint', sql, line: 1 });

describe('unreadPins', () => {
  it('lists the pinned keys no template of the pipe, or of the pipes it reads, reads', () => {
    const pipes = new Map([['base', [node('%\nSELECT * FROM t WHERE org = {{ String(org_id) }}')]]]);
    const nodes = [node('%\nSELECT * FROM base WHERE user = {{ String(user_id, required=True) }}')];
    expect(unreadPins('p.pipe', nodes, pipes, { user_id: 'u', org_id: 'o' })).toEqual([]);
    expect(unreadPins('p.pipe', nodes, pipes, { userid: 'u', org_id: 'o' })).toEqual(['userid']);
    expect(unreadPins('p.pipe', [node('SELECT 1')], pipes, { tenant: 't' })).toEqual(['tenant']);
    expect(unreadPins('p.pipe', [node('%\nSELECT {% if x %}')], pipes, { tenant: 't' })).toEqual([]);
  });
});

describe('the local server', () => {
  let project: DevProject | undefined;
  afterAll(() => project?.close());

  it('warns once when a JWT pins a param its pipe does not read', { timeout: 60_000 }, async () => {
    project = await devProject({
      'mine.pipe': `NODE endpoint\nSQL >\n    %\n    SELECT {{ String(user_id, 'nobody') }} AS who\nTYPE endpoint\n`,
    });
    const good = await project.jwt('good', [{ type: 'PIPES:READ', resource: 'mine', fixed_params: { user_id: 'u' } }]);
    const typo = await project.jwt('typo', [{ type: 'PIPES:READ', resource: 'mine', fixed_params: { userid: 'u' } }]);
    expect((await project.call('/v0/pipes/mine.json', {}, good)).json).toMatchObject({ data: [{ who: 'u' }] });
    expect((await project.call('/v0/pipes/mine.json', {}, typo)).json).toMatchObject({ data: [{ who: 'nobody' }] });
    await project.call('/v0/pipes/mine.json', {}, typo);
    const deadline = Date.now() + 10_000;
    while (!/pins userid/.test(project.dev.output()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const warnings = project.dev.output().match(/Token "\w+" pins .*/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^Token "typo" pins userid on mine, which does not read it: the pin has no effect, and every row mine returns is readable with it \(.*mine\.pipe\)$/,
    );
  });
});
