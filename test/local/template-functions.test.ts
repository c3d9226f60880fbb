// Tinybird's table(), symbol(), JSON(), dict literals, custom_error() bodies and the settings hints, as its
// sql_template.py renders them.
import { describe, expect, it } from 'vitest';
import { templateParameters, templateSettings } from '../../src/local/template';
import { failure, render } from './render-template';

describe('table()', () => {
  it('writes a table name from a parameter bare, as Tinybird does', () => {
    expect(render("SELECT * FROM {{table(t, 'events')}}", { t: 'bookings' })).toBe('SELECT * FROM bookings');
    expect(render("SELECT * FROM {{TABLE('events')}}")).toBe('SELECT * FROM events');
    expect(render('FROM {{table(t)}}', { t: '"quoted"' })).toBe('FROM quoted');
  });

  it('refuses anything but one plain name', () => {
    for (const bad of ['a b', 'a;DROP', 'system.users', '1a', '', 'a`']) {
      expect(failure('FROM {{table(t)}}', { t: bad }).message).toContain('invalid table name');
    }
    expect(failure('FROM {{table(t)}}').status).toBe(400);
  });
});

describe('symbol()', () => {
  it('quotes the whole value (a dot is part of the name), unlike column()', () => {
    expect(render('{{symbol(c)}}', { c: 'a.b' })).toBe('`a.b`');
    expect(render("{{column(c, 'x')}}", { c: 'a.b' })).toBe('`a`.`b`');
    expect(render('{{Symbol(c)}}', { c: 'table-name' })).toBe('`table-name`');
    expect(render('{{symbol(c)}}', { c: '"name"' })).toBe('`name`');
  });

  it('escapes what could end the quotes', () => {
    expect(render('{{symbol(c)}}', { c: 'a`b' })).toBe('`a\\`b`');
    expect(render('{{symbol(c)}}', { c: 'a\\' })).toBe('`a\\\\`');
    expect(failure("{{symbol(c, 'default')}}", { c: 'x' }).message).toContain('backtick');
    expect(failure('{{symbol(c)}}').status).toBe(400);
  });
});

describe('JSON()', () => {
  const body = "{% for kv in JSON(payload, '[]') %} OR department = {{kv['dp']}}{% end %}";

  it('parses a JSON text into lists and dicts for loops and lookups', () => {
    expect(render(body, { payload: '[{"dp":"Design"},{"dp":"Marketing"}]' })).toBe(
      "OR department = 'Design' OR department = 'Marketing'",
    );
    expect(render(body)).toBe('');
    expect(render("{% for k in JSON(p) %}{{k}}{% end %}{{ JSON(p).get('a') }}", { p: '{"a":1}' })).toBe("'a'1");
    expect(render("{{ JSON(p).get('b', 'none') }}", { p: '{"a":1}' })).toBe("'none'");
  });

  it('takes an object from a JSON body as it is', () => {
    expect(render("{{ JSON(p)['a'] }}", { p: { a: 'x' } })).toBe("'x'");
  });

  it("refuses text that is not JSON with Tinybird's message", () => {
    expect(failure("{% for x in JSON(p, '') %}{% end %}").message).toMatch(
      /^Template Syntax Error: Error parsing JSON: '' - /,
    );
    expect(failure('{{ JSON(p) }}', { p: '{"a":' }).status).toBe(400);
    expect(failure('{{ JSON(p) }}', { p: '{"a":1}' }).message).toContain('cannot be rendered');
  });
});

describe('dict literals', () => {
  it('evaluate to dicts with get(), keys() and in', () => {
    expect(render("{% set d = {'a': 1, 'b': x} %}{{ d['b'] }}{{ d.get('a') }}{{ 'a' in d }}", { x: 'y' })).toBe(
      "'y'11",
    );
    expect(render("{% for k, v in {'a': 1}.items() %}{{k}}={{v}}{% end %}")).toBe("'a'=1");
    expect(render('{{ len({}.keys()) }}')).toBe('0');
  });
});

describe('custom_error()', () => {
  it('with a dict: the error carries that object as the body, with the status', () => {
    const e = failure("{{ custom_error({'error': 'no user', 'code': 'E1', 'n': Int32(n, 2)}, 404) }}");
    expect(e.status).toBe(404);
    expect(e.body).toEqual({ error: 'no user', code: 'E1', n: 2 });
  });

  it('with text: the text is the body; error() keeps the usual answer', () => {
    expect(failure("{{ custom_error('gone', 410) }}").body).toBe('gone');
    expect(failure("{{ error('bad') }}").body).toBeUndefined();
  });
});

describe('templateSettings', () => {
  it('turns max_threads() and disable() into SETTINGS, held to 1..cores, the smallest winning', () => {
    expect(templateSettings(render('SELECT 1 {{max_threads(2)}}'))).toBe(' SETTINGS max_threads = 2');
    expect(templateSettings(render("{{max_threads('3')}}{{max_threads(1)}}{{disable('analyzer')}}"))).toBe(
      ' SETTINGS max_threads = 1, enable_analyzer = 0',
    );
    expect(templateSettings(render('{{max_threads(100000)}}'))).not.toContain('100000');
    expect(templateSettings(render("{{max_threads(0)}}{{max_threads('x')}}{{cache_ttl('1m')}}"))).toBe('');
  });

  it('cannot be asked for through a request value', () => {
    expect(templateSettings(render('SELECT {{x}}', { x: '\n-- max_threads 2\n' }))).toBe('');
    expect(templateSettings(render('SELECT {{x}}', { x: '-- disable analyzer\u2028' }))).toBe('');
  });
});

describe('Python builtins and join', () => {
  it('enumerate, range, sum, min, max, abs and str.join work as in Python', () => {
    expect(render('{% for i, x in enumerate(split_to_array(xs)) %}{{i}}:{{x}} {% end %}', { xs: 'a,b' })).toBe(
      "0:'a' 1:'b'",
    );
    expect(render('{{ range(3) }}{{ range(1, 7, 2) }}{{ len(range(5, 0)) }}')).toBe('[0,1,2][1,3,5]0');
    expect(
      render("{{ sum(Array(n, 'Int32')) }} {{ min(3, 1, 2) }} {{ max(['b', 'a']) }} {{ abs(-2) }}", { n: '1,2' }),
    ).toBe("3 1 'b' 2");
    expect(render("{% set csv = ','.join(split_to_array(t)) %}{{ csv }}", { t: 'x, y' })).toBe("'x,y'");
  });

  it('refuse what Python refuses, and a range too long to be a template loop', () => {
    expect(failure('{{ sum(x) }}', { x: 'ab' }).status).toBe(400);
    expect(failure('{{ min([]) }}').message).toContain('empty sequence');
    expect(failure('{{ range(10000000) }}').message).toContain('too long');
    expect(failure("{{ ','.join([1, 2]) }}").message).toContain('not supported');
  });
});

describe('parameters read with Array()', () => {
  it('are that list everywhere in the node, as Tinybird prepares them', () => {
    const join =
      "{% if defined(test) %}{% set csv = ','.join(test) %}{{Array(test, 'String')}} as test, {{csv}} as a{% end %}";
    expect(render(join, { test: '1,2' })).toBe("['1','2'] as test, '1,2' as a");
    expect(render(join, { test: ['1', '2'] })).toBe("['1','2'] as test, '1,2' as a");
    const total = "{% if defined(test) %}{% set t = sum(test) %}{{Array(test, 'Int32')}}, {{t}}{% end %}";
    expect(render(total, { test: '1,2' })).toBe('[1,2], 3');
    expect(render("{% for x in ids %}<{{x}}>{% end %}{{ len(ids) }}{{Array(ids, 'Int32')}}", { ids: '7,8' })).toBe(
      '<7><8>2[7,8]',
    );
  });

  it('stay as sent when Array() refuses them (it reports the error), and elsewhere stay text', () => {
    expect(failure("{{ len(ids) }}{{Array(ids, 'Int32')}}", { ids: '1,x' }).message).toContain('[1,x][1] (x)');
    expect(render('{{ len(s) }}{{String(s)}}', { s: 'a,b' })).toBe("3'a,b'");
  });
});

describe('templateParameters', () => {
  it('lists table() and JSON() parameters too', () => {
    expect(templateParameters("%SELECT * FROM {{table(t, 'events')}} {{ JSON(filters, '[]') }}")).toEqual([
      { name: 't', type: 'String', default: 'events', required: false },
      { name: 'filters', type: 'JSON', default: '[]', required: false },
    ]);
  });
});
