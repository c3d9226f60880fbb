import { describe, expect, it } from 'vitest';
import { isTemplated, renderTemplate, templateParameters, TemplateError } from '../../src/local/template';
import { failure, render } from './render-template';

describe('isTemplated', () => {
  it('is true for SQL starting with %, after leading whitespace', () => {
    expect(isTemplated('%\nSELECT 1')).toBe(true);
    expect(isTemplated('  \n%\nSELECT 1')).toBe(true);
    expect(isTemplated('SELECT 1 % 2')).toBe(false);
  });

  it('renderTemplate strips the % and keeps the rest of the text as written', () => {
    expect(renderTemplate('%\nSELECT 1', {})).toBe('\nSELECT 1');
    expect(renderTemplate('  %SELECT 1', {})).toBe('SELECT 1');
  });
});

describe('TemplateError', () => {
  it('is an Error named TemplateError with an HTTP status', () => {
    const e = failure('{{Int32(x)}}');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TemplateError');
    expect(e.status).toBe(400);
  });
});

describe('integer types', () => {
  it("Int8..Int256 and UInt8..UInt256 render as toIntN('n')", () => {
    expect(render('LIMIT {{Int32(limit, 10)}}')).toBe("LIMIT toInt32('10')");
    expect(render('{{Int32(limit, 10)}}', { limit: '25' })).toBe("toInt32('25')");
    expect(render('{{Int8(x)}}', { x: '-128' })).toBe("toInt8('-128')");
    expect(render('{{UInt64(x)}}', { x: '18446744073709551615' })).toBe("toUInt64('18446744073709551615')");
    expect(render('{{Int256(x)}}', { x: '+007' })).toBe("toInt256('7')");
    expect(render('{{Int16(x)}}', { x: 300 })).toBe("toInt16('300')");
  });

  it("rejects anything that is not an integer of that size, with Tinybird's message", () => {
    expect(failure('{{Int32(x)}}', { x: 'abc' }).message).toBe(
      "Template Syntax Error: Error validating 'abc' to type Int32",
    );
    expect(failure('{{Int8(x)}}', { x: '128' }).message).toContain("'128' to type Int8");
    expect(failure('{{UInt8(x)}}', { x: '-1' }).message).toContain('UInt8');
    expect(failure('{{Int32(x)}}', { x: '1.5' }).message).toContain('Int32');
    expect(failure('{{Int32(x)}}', { x: '1; DROP TABLE t' }).status).toBe(400);
    expect(failure('{{Int32(x)}}', { x: ' 1' }).status).toBe(400);
    expect(failure('{{Int32(x)}}', { x: 2 ** 31 }).message).toContain('2147483648');
  });

  it('Int and Integer render a bare validated number', () => {
    expect(render('LIMIT {{Int(limit, 10)}}', { limit: '3' })).toBe('LIMIT 3');
    expect(render('LIMIT {{Integer(limit, 10)}}')).toBe('LIMIT 10');
    expect(failure('{{Int(x)}}', { x: '3 OR 1=1' }).message).toContain('to type Int32');
  });

  it('a typed number still compares as a number in expressions', () => {
    expect(render('{% if Int32(n, 0) > 5 %}big{% else %}small{% end %}', { n: '10' })).toBe('big');
    expect(render('{{ Int32(n, 1) + 1 }}')).toBe('2');
  });
});

describe('float types', () => {
  it("Float32/Float64 render as toFloatN('x') after validation", () => {
    expect(render('{{Float64(p, 1.5)}}')).toBe("toFloat64('1.5')");
    expect(render('{{Float32(p)}}', { p: '-2.25e3' })).toBe("toFloat32('-2250')");
    // What Python's float() reads, as Tinybird: nan, inf, spaces, and no Float32 range.
    expect(render('{{Float64(p)}}', { p: 'NaN' })).toBe("toFloat64('nan')");
    expect(render('{{Float64(p)}}', { p: '-Infinity' })).toBe("toFloat64('-inf')");
    expect(render('{{Float64(p)}}', { p: '1e999' })).toBe("toFloat64('inf')");
    expect(render('{{Float32(p)}}', { p: ' 1e39 ' })).toBe("toFloat32('1e+39')");
    expect(render("{{Array(p, 'Float64')}}", { p: '1.5,nan' })).toBe('[1.5,nan]');
    expect(failure('{{Float64(p)}}', { p: '1_000' }).message).toBe(
      "Template Syntax Error: Error validating '1_000' to type Float64",
    );
    expect(failure('{{Float64(p)}}', { p: 'nanx' }).status).toBe(400);
  });
});

describe('String', () => {
  it('renders a single-quoted literal with ClickHouse escapes', () => {
    expect(render('{{String(s)}}', { s: "it's" })).toBe("'it\\'s'");
    expect(render('{{String(s)}}', { s: 'a\\b' })).toBe("'a\\\\b'");
    expect(render('{{String(s)}}', { s: 'line\nbreak\ttab' })).toBe("'line\\nbreak\\ttab'");
    expect(render("{{String(s, 'AA')}}")).toBe("'AA'");
    expect(render('{{String(s)}}', { s: '' })).toBe("''");
  });

  it('writes % as \\% as Tinybird does (ClickHouse keeps that backslash), and leaves _ alone', () => {
    expect(render('{{String(s)}}', { s: '50%_off' })).toBe("'50\\%_off'");
    expect(render('{{s}}', { s: '%' })).toBe("'\\%'");
    expect(render("{{Array(a, 'String')}}", { a: 'x%,y' })).toBe("['x\\%','y']");
    expect(render('{{String(s)}}', { s: '\\%' })).toBe("'\\\\\\%'");
  });

  it("sql_unescape(x, '%') undoes it, so a LIKE pattern keeps its wildcards", () => {
    expect(render("LIKE {{sql_unescape(String(s), '%')}}", { s: 'raul_%' })).toBe("LIKE 'raul_%'");
    expect(render('{{sql_unescape(String(s))}}', { s: "a%'" })).toBe("'a%\\''");
    expect(render("{{sql_unescape(String(s), '$')}}", { s: 'a%' })).toBe("'a\\%'");
  });

  it('takes the last of repeated query parameters, as Tinybird does', () => {
    expect(render('{{String(s)}}', { s: ['a', 'b'] })).toBe("'b'");
  });

  it('renders JSON numbers and booleans from a POST body as text', () => {
    expect(render('{{String(s)}}', { s: 42 })).toBe("'42'");
  });

  it('rejects a JSON object', () => {
    expect(failure('{{String(s)}}', { s: { a: 1 } }).message).toContain('to type String');
  });
});

describe('dates', () => {
  it('Date takes YYYY-MM-DD (the pattern only, as Tinybird) and passes it through', () => {
    expect(render('{{Date(d)}}', { d: '2024-02-29' })).toBe("'2024-02-29'");
    expect(render("{{Date(d, '2024-01-01')}}")).toBe("'2024-01-01'");
    expect(render('{{Date(d)}}', { d: '2023-02-30' })).toBe("'2023-02-30'");
    expect(failure('{{Date(d)}}', { d: '2024-01-01 10:00:00' }).message).toBe(
      "Template Syntax Error: Error validating '2024-01-01 10:00:00' to type Date",
    );
    expect(failure("{{Date(d, '2024/01/01')}}").message).toContain('to type Date');
    expect(failure('{{Date(d)}}', { d: "2024-01-01' OR 1=1" }).status).toBe(400);
  });

  it('DateTime checks how the text starts and passes it through unchanged: offsets, T and Z included', () => {
    expect(render('{{DateTime(d)}}', { d: '2024-01-02 03:04:05' })).toBe("'2024-01-02 03:04:05'");
    expect(render('{{DateTime(d)}}', { d: '2024-01-02T03:04:05.123Z' })).toBe("'2024-01-02T03:04:05.123Z'");
    expect(render('{{DateTime(d)}}', { d: '2024-01-01T10:00:00+02:00' })).toBe("'2024-01-01T10:00:00+02:00'");
    expect(render('{{DateTime(d)}}', { d: '02/01/2024 3:4:5' })).toBe("'02/01/2024 3:4:5'");
    expect(render("{{DateTime(d, '2024-12-31 23:59:59')}}")).toBe("'2024-12-31 23:59:59'");
    expect(render('{{DateTime(d)}}', { d: "2024-01-02 03:04:05' x" })).toBe("'2024-01-02 03:04:05\\' x'");
    expect(failure('{{DateTime(d)}}', { d: '2024-01-02' }).message).toBe(
      "Template Syntax Error: Error validating '2024-01-02' to type DateTime",
    );
    expect(failure("{{DateTime(d, '2024-01-02')}}").message).toContain('to type DateTime');
    expect(failure('{{DateTime(d)}}', { d: '2024-01-02 3:04:05' }).status).toBe(400);
  });

  it('DateTime64 needs milliseconds and keeps the text', () => {
    expect(render('{{DateTime64(d)}}', { d: '2024-01-02 03:04:05.123456' })).toBe("'2024-01-02 03:04:05.123456'");
    expect(render("{{DateTime64(d, '2020-09-09 10:10:10.000')}}")).toBe("'2020-09-09 10:10:10.000'");
    expect(failure('{{DateTime64(d)}}', { d: '2024-01-02 03:04:05' }).message).toContain('to type DateTime64');
  });
});

describe('Boolean', () => {
  it('renders 1/0 from true/false/1/0, 0 when unset', () => {
    expect(render('{{Boolean(b)}}', { b: 'true' })).toBe('1');
    expect(render('{{Boolean(b)}}', { b: 'FALSE' })).toBe('0');
    expect(render('{{Boolean(b)}}', { b: true })).toBe('1');
    expect(render('{{Boolean(b)}}')).toBe('0');
    expect(render('{{Boolean(b, True)}}')).toBe('1');
  });

  it('never refuses a value, as Tinybird: other text is its truthiness', () => {
    expect(render('{{Boolean(b)}}', { b: 'yes please' })).toBe('1');
    expect(render('{{Boolean(b, True)}}', { b: '' })).toBe('0');
    expect(render('{{Boolean(b)}}', { b: 'False' })).toBe('0');
    expect(render("{{Boolean(b, 'false')}}")).toBe('0');
    expect(render('{{Boolean(b)}}', { b: ['1', '0'] })).toBe('0');
  });
});

describe('Array', () => {
  it('accepts a comma-separated string, repeated parameters or a JSON array', () => {
    expect(render("{{Array(ids, 'Int32')}}", { ids: '1,2,3' })).toBe('[1,2,3]');
    expect(render("{{Array(ids, 'Int32')}}", { ids: ['4', '5'] })).toBe('[4,5]');
    expect(render("{{Array(ids, 'Int32')}}", { ids: [6, 7] })).toBe('[6,7]');
    expect(render("{{Array(names, 'String')}}", { names: "a,b'c" })).toBe("['a','b\\'c']");
    expect(render('{{Array(names)}}', { names: ['x'] })).toBe("['x']");
  });

  it('validates every element by its type', () => {
    expect(failure("{{Array(ids, 'Int32')}}", { ids: '1,x' }).message).toBe(
      'Template Syntax Error: Error validating [1,x][1] (x) to type Int32',
    );
    expect(failure("{{Array(ids, 'Int32', '')}}").message).toBe(
      'Template Syntax Error: Error validating [][0] (empty string) to type Int32',
    );
    expect(render("{{Array(d, 'Date')}}", { d: '2024-01-01,2024-01-02' })).toBe("['2024-01-01','2024-01-02']");
    expect(render("{{Array(f, 'Float64')}}", { f: '1.5,2' })).toBe('[1.5,2]');
    expect(render("{{Array(u, 'UInt64')}}", { u: '18446744073709551615' })).toBe('[18446744073709551615]');
    expect(render("{{Array(x, 'UUID')}}", { x: "a,b'" })).toBe("['a','b\\'']");
    expect(render("{{Array(b, 'Boolean')}}", { b: 'yes,0,false' })).toBe('[1,0,0]');
  });

  it('takes a default as a string or a list (third argument or default=)', () => {
    expect(render("{{Array(ids, 'Int32', '1,2')}}")).toBe('[1,2]');
    expect(render("{{Array(ids, 'String', default=['mobile', 'desktop'])}}")).toBe("['mobile','desktop']");
  });

  it('is iterable and searchable in expressions', () => {
    expect(render("{% for x in Array(ids, 'Int32') %}<{{x}}>{% end %}", { ids: '1,2' })).toBe('<1><2>');
    expect(render("{{ 2 in Array(ids, 'Int32') }}", { ids: '1,2' })).toBe('1');
  });
});

describe('column, columns, symbol', () => {
  it('render backtick-quoted identifiers, with a default', () => {
    expect(render("ORDER BY {{column(sort, 'timestamp')}}")).toBe('ORDER BY `timestamp`');
    expect(render("ORDER BY {{column(sort, 'timestamp')}}", { sort: 'price' })).toBe('ORDER BY `price`');
    expect(render("{{column(c, 'x')}}", { c: 'data.user_id' })).toBe('`data`.`user_id`');
    expect(render('{{symbol(c)}}', { c: 'airline' })).toBe('`airline`');
    expect(render("SELECT {{columns(cols, 'a,b')}}")).toBe('SELECT `a`,`b`');
    expect(render("SELECT {{columns(cols, 'a')}}", { cols: 'x, y' })).toBe('SELECT `x`,`y`');
    expect(render("SELECT {{columns(cols, 'a', fn='max')}}", { cols: 'x' })).toBe('SELECT max(`x`) AS `x`');
  });

  it('reject anything outside [A-Za-z0-9_.], backticks above all', () => {
    for (const bad of ['a`b', 'a b', "a'", 'a;b', '', 'a..b', 'x)--']) {
      expect(failure("{{column(c, 'x')}}", { c: bad }).message).toContain('invalid column name');
    }
    expect(failure("{{columns(c, 'x')}}", { c: 'a,b`' }).status).toBe(400);
  });

  it('column() needs a default when the parameter is not sent', () => {
    expect(failure('{{column(c)}}').message).toContain('Missing column() default value');
  });
});

describe('defaults, required and unset parameters', () => {
  it('an unset parameter is None, and defined() tells whether it was sent', () => {
    expect(render('{% if defined(x) %}yes{% else %}no{% end %}')).toBe('no');
    expect(render('{% if defined(x) %}yes{% else %}no{% end %}', { x: '' })).toBe('yes');
    expect(render('{{ x is None }}')).toBe('1');
  });

  it('a typed call on an unset parameter with no default is a 400 Required parameter is not defined', () => {
    const e = failure('SELECT {{String(user_id)}}');
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      'Template Syntax Error: Required parameter is not defined. Check the parameters user_id. ' +
        'Please provide a value or set a default value in the pipe code.',
    );
    expect(failure("{{Array(ids, 'Int32')}}").message).toMatch(
      /^Template Syntax Error: Required parameter is not defined/,
    );
  });

  it("names every parameter without a default in Tinybird's words, not only the one that failed", () => {
    const body =
      "select * from t where str = {{String(test)}} and category = {{String(category, 'shirts')}} and color = {{ Int32(color)}}";
    expect(failure(body).message).toBe(
      'Template Syntax Error: Required parameter is not defined. Check the parameters test and color. ' +
        'Please provide a value or set a default value in the pipe code.',
    );
    const more = "{% set s = 1 %}{% if defined(a) and b > 0 %}{{ Date(d) }}{{ column(c, 'x') }}{% end %}{{ Int8(e) }}";
    expect(failure(more, { a: '1', b: 2 }).message).toContain('Check the parameters d, b and e.');
  });

  it('required=True only documents the parameter: with a default, the default renders (as in Tinybird)', () => {
    expect(render('{{Int32(limit, 10, required=True)}}')).toBe("toInt32('10')");
    expect(failure('{{Int32(limit, required=True)}}').message).toMatch(
      /^Template Syntax Error: Required parameter is not defined/,
    );
    expect(render('{{Int32(limit, 10, required=True)}}', { limit: '1' })).toBe("toInt32('1')");
  });

  it('defined=False makes an unset typed call None instead of an error (for if and sql_and)', () => {
    expect(render('{% if Int32(x, defined=False) %}x{% else %}none{% end %}')).toBe('none');
    expect(failure('{{Int32(x, defined=False)}}').message).toBe(
      'Template Syntax Error: expression "Int32(x, defined=False)" evaluated to null',
    );
  });

  it('description, example and format are documentation only', () => {
    expect(render("{{Int32(lim, 10, description='Rows', example='5', format='int', required=False)}}")).toBe(
      "toInt32('10')",
    );
  });

  it('enum= documents the values: Tinybird renders any other value as well', () => {
    expect(render("{{String(o, 'asc', enum=['asc', 'desc'])}}", { o: 'x' })).toBe("'x'");
    expect(render('{{Int32(n, 1, enum=[1, 2])}}', { n: '3' })).toBe("toInt32('3')");
    expect(render("{{Array(g, 'String', '', required=False, example='type', enum=['type'])}}")).toBe("['']");
  });
});

describe('bare {{ x }} and set values', () => {
  it('never reach SQL raw: strings are quoted, numbers validated', () => {
    expect(render('{{x}}', { x: "'; DROP TABLE t; --" })).toBe("'\\'; DROP TABLE t; --'");
    expect(render('{{x}}', { x: '42' })).toBe("'42'");
    expect(render('{{x}}', { x: 42 })).toBe('42');
    expect(render('{{x}}', { x: true })).toBe('1');
    expect(render('{{x}}', { x: ['a', 1] })).toBe("['a',1]");
    expect(render('{% set y = x + "!" %}{{y}}', { x: "o'k" })).toBe("'o\\'k!'");
  });

  it('an unset bare parameter is an error, not an empty string', () => {
    expect(failure('{{x}}').message).toBe('Template Syntax Error: expression "x" evaluated to null');
  });

  it('a negative number cannot join a minus sign into a -- comment', () => {
    expect(render('SELECT 1 -{{Int(n)}}', { n: '-5' })).toBe('SELECT 1 - -5');
  });

  it('a value inside quotes the author wrote is refused (it would step out of them)', () => {
    expect(failure("WHERE a = '{{String(x)}}'", { x: "'; DROP TABLE t; --" }).message).toContain(
      'inside a quoted string',
    );
    expect(failure('WHERE `{{column(c, "a")}}` = 1').message).toContain('quoted');
    expect(failure('/* {{x}} */', { x: '*/ DROP' }).message).toContain('inside a comment');
  });

  it('a value in a -- comment stays in it: no raw newline ever comes out', () => {
    expect(render('SELECT 1 -- {{x}}\n, 2', { x: 'a\n; DROP TABLE t' })).toBe("SELECT 1 -- 'a\\n; DROP TABLE t'\n, 2");
  });

  it('JSON objects cannot be rendered', () => {
    expect(failure('{{x}}', { x: { a: 1 } }).message).toContain('object');
    expect(render("{{ x['a'] }}", { x: { a: 'v' } })).toBe("'v'");
  });
});

describe('control flow', () => {
  it('if / elif / else', () => {
    const t = "{% if x == 'a' %}A{% elif x == 'b' %}B{% else %}other{% end %}";
    expect(render(t, { x: 'a' })).toBe('A');
    expect(render(t, { x: 'b' })).toBe('B');
    expect(render(t, { x: 'c' })).toBe('other');
    expect(render(t)).toBe('other');
  });

  it('nests', () => {
    const t = '{% if defined(a) %}a{% if defined(b) %}b{% for x in xs %}{{x}}{% end %}{% end %}{% end %}';
    expect(render(t, { a: '1', b: '1', xs: ['1', '2'] })).toBe("ab'1' '2'"); // a space keeps adjacent literals apart
    expect(render(t, { a: '1' })).toBe('a');
  });

  it('for loops over lists, split_to_array and enumerate_with_last, with tuple targets', () => {
    expect(render("{% for c in split_to_array(cs, 'a,b') %}{{column(c)}}{% end %}")).toBe('`a` `b`');
    const t =
      '{% for last, c in enumerate_with_last(split_to_array(cs)) %}{{symbol(c)}}{% if not last %}, {% end %}{% end %}';
    expect(render(t, { cs: 'x,y,z' })).toBe('`x`, `y`, `z`');
    expect(render('{% for x in [1, 2, 3] %}{% if x == 2 %}{% continue %}{% end %}{{x}}{% end %}')).toBe('13');
    expect(render('{% for x in [1, 2, 3] %}{% if x == 2 %}{% break %}{% end %}{{x}}{% end %}')).toBe('1');
  });

  it('set assigns template variables', () => {
    expect(render('{% set n = Int32(limit, 10) * 2 %}LIMIT {{n}}')).toBe('LIMIT 20');
    expect(render("{% set t = 'events' if defined(x) else 'other' %}{{symbol(t)}}")).toBe('`other`');
  });

  it('comments are dropped; {{! prints a literal {{', () => {
    expect(render('a{# {{ nothing }} #}b')).toBe('ab');
    expect(render('{{!x}}')).toBe('{{x}}');
    expect(render('{% comment anything %}x')).toBe('x');
  });

  it('reports unbalanced blocks as Tornado does', () => {
    expect(failure('{% if x %}a').message).toBe('Missing {% end %} block for if');
    expect(failure('{% for x in y %}a').message).toBe('Missing {% end %} block for for');
    expect(failure('a{% end %}').message).toContain('Extra {% end %} block');
    expect(failure('{% else %}').message).toContain('else outside if block');
    expect(failure('{{ x ').message).toContain('Missing end expression }}');
    expect(failure('{% if x %}').message).toBe('Missing {% end %} block for if');
    expect(failure('{% import os %}').message).toContain('unsupported template statement');
    expect(failure('{{ }}').message).toContain('Empty expression');
  });
});

describe('expressions', () => {
  it('literals, arithmetic, comparisons and logic follow Python', () => {
    expect(render('{{ 1 + 2 * 3 }}')).toBe('7');
    expect(render('{{ (1 + 2) * 3 }}')).toBe('9');
    expect(render('{{ 7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }}')).toBe('3 2 3.5');
    expect(render("{{ 'a' + 'b' }}")).toBe("'ab'");
    expect(render('{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }}')).toBe('1 0');
    expect(render("{{ 'x' in ['x', 'y'] }} {{ 'z' not in ('x', 'y') }}")).toBe('1 1');
    expect(render('{{ None or 5 }} {{ 0 and 5 }} {{ not 0 }}')).toBe('5 0 1');
    expect(render('{{ True if x is not None else False }}', { x: 'v' })).toBe('1');
    expect(render('{{ [1, 2][-1] }}')).toBe('2');
    expect(render("{{ 'a\\'b' }} {{ \"q\" }}")).toBe("'a\\'b' 'q'");
  });

  it('calls take positional and keyword arguments', () => {
    expect(render('{{Int32(limit, 10, description="x", required=False)}}')).toBe("toInt32('10')");
  });

  it('string methods and len', () => {
    expect(render("{% if o.lower() == 'desc' %}DESC{% end %}", { o: 'DeSc' })).toBe('DESC');
    expect(render('{{ len(split_to_array(x)) }}', { x: 'a,b,c' })).toBe('3');
  });

  it('mixing types fails the way Python does, as a 400', () => {
    expect(failure('{% if x > 5 %}{% end %}', { x: '10' }).message).toContain(
      "'>' not supported between instances of 'str' and 'int'",
    );
    expect(failure("{{ 'a' + 1 }}").status).toBe(400);
    expect(failure('{{ 1 / 0 }}').message).toContain('division by zero');
  });

  it('has no way out: unknown functions, attributes and dunder names are errors', () => {
    expect(failure('{{ open(x) }}').message).toBe("Template Syntax Error: 'open' is not a valid function");
    expect(failure('{{ x.__class__ }}').status).toBe(400);
    expect(failure('{{ __import__("os") }}').status).toBe(400);
    expect(failure('{{ (lambda: 1)() }}').status).toBe(400);
    expect(failure('{{ x.system("ls") }}', { x: 'a' }).message).toContain('not supported');
    expect(failure('{{ constructor }}', {}).message).toContain('evaluated to null');
  });

  it('reads only own properties of params', () => {
    expect(render('{% if defined(toString) %}y{% else %}n{% end %}')).toBe('n');
  });
});

describe('sql_and', () => {
  it('turns defined arguments into conditions joined with and, written as Tinybird writes them', () => {
    const t =
      "WHERE {{sql_and(airline__in=Array(a, 'String', defined=False), price__gte=Float64(lo, defined=False), price__lt=Float64(hi, defined=False), origin=String(o, defined=False), passengers__not_in=Array(p, 'Int32', defined=False))}}";
    expect(render(t, { a: 'AA,BA', lo: '10' })).toBe("WHERE airline in ['AA','BA'] and price >= toFloat64('10')");
    expect(render(t, { o: 'MAD', p: '1,2', hi: '3' })).toBe(
      "WHERE price < toFloat64('3') and origin = 'MAD' and passengers not in [1,2]",
    );
  });

  it('renders nothing when no argument is defined, as Tinybird does', () => {
    expect(render('WHERE 1 AND {{sql_and(a=String(x, defined=False))}}')).toBe('WHERE 1 AND');
  });

  it("supports gt, lt, gte, lte, in, not_in and rejects other suffixes with Tinybird's message", () => {
    expect(render('{{sql_and(a__gt=1, b__lt=2, c=3, d__lte=4, e__gte=5)}}')).toBe(
      'a > 1 and b < 2 and c = 3 and d <= 4 and e >= 5',
    );
    expect(failure('{{sql_and(a__like=1)}}').message).toBe('Template Syntax Error: operand like not supported');
    expect(failure('{{sql_and(a__eq=1)}}').message).toBe('Template Syntax Error: operand eq not supported');
    expect(failure('{{sql_and(a__ne=1)}}').message).toBe('Template Syntax Error: operand ne not supported');
  });

  it('quotes bare request values: a string stays one string, even for __in', () => {
    expect(render('{{sql_and(a=x, b__in=y)}}', { x: "'; --", y: 'p,q' })).toBe("a = '\\'; --' and b in 'p,q'");
  });
});

describe('other functions', () => {
  it('split_to_array returns trimmed strings, with a default', () => {
    expect(render('{{split_to_array(x)}}', { x: ' a, b ' })).toBe("['a','b']");
    expect(render("{{split_to_array(x, 'z')}}")).toBe("['z']");
    expect(render("{{split_to_array(x, '', separator='|')}}", { x: 'a|b' })).toBe("['a','b']");
  });

  it('day_diff and date_diff_in_* return whole units, validated', () => {
    expect(render('{{day_diff(a, b)}}', { a: '2019-01-02', b: '2019-02-01' })).toBe('30');
    expect(render("{{date_diff_in_days('2019-02-01 20:00:00', '2019-01-02 20:00:00', '%Y-%m-%d %H:%M:%S')}}")).toBe(
      '30',
    );
    expect(render("{{date_diff_in_days('2019-01-01', '2019/01/04', backup_date_format='%Y/%m/%d')}}")).toBe('3');
    expect(render("{{date_diff_in_hours('2022-12-14 18:42:22', '2022-12-19 18:42:22')}}")).toBe('120');
    const iso = "date_format='%Y-%m-%dT%H:%M:%S.%fz', backup_date_format='%Y-%m-%d'";
    expect(render(`{{date_diff_in_minutes('2022-12-19T03:22:12.102Z', '2022-12-19', ${iso})}}`)).toBe('202');
    expect(render("{{date_diff_in_minutes('2022-12-19', '2022-12-19 00:01:00', backup_date_format='%Y-%m-%d')}}")).toBe(
      '1',
    );
    expect(
      render("{{date_diff_in_seconds('2022-12-19T18:42:22Z', '2022-12-19T18:42:23Z', '%Y-%m-%dT%H:%M:%Sz')}}"),
    ).toBe('1');
    expect(
      render("{{date_diff_in_seconds('2022-12-19 18:42:23.521', '2022-12-19 18:42:24.521', '%Y-%m-%d %H:%M:%S.%f')}}"),
    ).toBe('1');
    // The default formats take no T, Z or bare date, as Tinybird's
    expect(failure("{{date_diff_in_hours('2022-12-18T18:42:22Z', '2022-12-19T18:42:22Z')}}").message).toBe(
      'Template Syntax Error: invalid date_format in function `date_diff_in_hours`, defaults to YYYY-MM-DD hh:mm:ss. ' +
        'Or %Y-%m-%d %H:%M:%S [.ssssss]Z, e.g. ms: 2022-12-19T18:42:22.591Z s:2022-12-19T18:42:22Z',
    );
    expect(failure("{{date_diff_in_days('2019-01-01', '2019-01-02 00:00:00')}}").status).toBe(400);
    expect(failure("{{day_diff('2019-02-30', '2019-01-01')}}").message).toContain('`day_diff`');
    expect(failure('{{day_diff(a, b)}}', { a: 'x', b: '2019-01-01' }).message).toContain(
      'invalid date format in function `day_diff`',
    );
    expect(render("{{ date_diff_in_days(a, '2020-01-01', none_if_error=True) is None }}", { a: 'bad' })).toBe('1');
  });

  it('error() stops with a 400 whatever code it is given; custom_error() with its code', () => {
    const e = failure("{% if not defined(user_id) %}{{ error('user_id is required', 403) }}{% end %}");
    expect(e.message).toBe('user_id is required');
    expect(e.status).toBe(400);
    const c = failure("{% if not defined(user_id) %}{{ custom_error('user_id is required', 403) }}{% end %}");
    expect(c.message).toBe('user_id is required');
    expect(c.status).toBe(403);
    expect(failure("{{ custom_error('bad', code=422) }}").status).toBe(422);
    expect(failure("{{ error('x', 200) }}").status).toBe(400);
  });

  it("query hints render Tinybird's comments, validated as Tinybird does; tb_secret uses its default locally", () => {
    expect(render("SELECT 1 {{max_threads(2)}}{{cache_ttl('5m')}}")).toBe('SELECT 1 -- max_threads 2\n-- cache_ttl 5m');
    expect(render("{{max_threads('x')}}{{activate('analyzer')}}{{disable('analyzer')}}{{backend_hint('b1')}}")).toBe(
      '-- max_threads: wrong argument\n-- activate analyzer\n-- disable analyzer\n-- backend_hint b1',
    );
    expect(render("{{backend_hint('a\\nb')}}")).toBe('-- backend_hint');
    expect(failure("{{cache_ttl('2h')}}").message).toContain('Invalid TTL cache expression');
    expect(failure("{{activate('x')}}").message).toBe("Template Syntax Error: 'x' is not a valid 'activate' argument");
    expect(failure("{{disable('joins')}}").message).toContain("not a valid 'disable' argument");
    expect(render("{{tb_secret('db', 'local')}}")).toBe("'local'");
    expect(failure("{{tb_secret('db')}}").message).toContain("Cannot access secret 'db'");
  });

  it("tb_secret and tb_var read the project's secret of that name first, always quoted", () => {
    const name = 'TEMPLATE_TEST_SECRET';
    const secrets = new Map([[name, "pa'ss%"]]);
    const withSecrets = (body: string) => renderTemplate(`%\n${body}`, {}, secrets).trim();
    expect(withSecrets(`{{tb_secret('${name}', 'fallback')}}`)).toBe("'pa\\'ss%'");
    expect(withSecrets(`{{tb_var('${name}')}}`)).toBe("'pa\\'ss%'");
    expect(failure(`{{tb_var('${name}')}}`).message).toBe(
      `Template Syntax Error: Cannot access secret '${name}'. Check the secret exists in the Workspace and the token ` +
        `has the required scope (locally: set ${name} in the project's .env.local or the environment, or give a default)`,
    );
    expect(failure(`{{tb_var('${name}')}}`).status).toBe(400);
  });

  it("tb_secret's name is a string in the pipe, never a request parameter", () => {
    const secrets = new Map([['ADMIN_KEY', 'k']]);
    const attempt = () => renderTemplate("%\n{{tb_secret(which, 'none')}}", { which: 'ADMIN_KEY' }, secrets);
    expect(attempt).toThrow(TemplateError);
    expect(attempt).toThrow("tb_secret() takes the secret's name as a string, e.g. tb_secret('NAME')");
    // One string literal, not an expression that starts and ends with one.
    expect(() => renderTemplate("%\n{{tb_secret('' + which + '')}}", { which: 'ADMIN_KEY' }, secrets)).toThrow(
      TemplateError,
    );
    expect(renderTemplate('%\n{{tb_secret("ADMIN_KEY")}}', {}, secrets).trim()).toBe("'k'");
  });
});

describe('templateParameters', () => {
  it('lists what the type functions declare', () => {
    const sql = `%
      SELECT * FROM events
      WHERE timestamp >= {{DateTime(start, '2024-01-01 00:00:00', description="From")}}
      {% if defined(airline) %} AND airline IN {{Array(airline, 'String', required=True)}} {% end %}
      ORDER BY {{column(sort, 'timestamp')}}
      LIMIT {{Int32(limit, 10)}} OFFSET {{Int32(limit, 10, description='ignored: first wins')}}`;
    expect(templateParameters(sql)).toEqual([
      { name: 'start', type: 'DateTime', default: '2024-01-01 00:00:00', required: false, description: 'From' },
      { name: 'airline', type: 'Array(String)', required: true },
      { name: 'sort', type: 'String', default: 'timestamp', required: false },
      { name: 'limit', type: 'Int32', default: 10, required: false, description: 'ignored: first wins' },
    ]);
  });

  it('finds calls nested in sql_and, set and for', () => {
    const sql = "%{% set n = Int8(n, -1) %}{{sql_and(a__in=Array(ids, 'Int32', defined=False))}}";
    expect(templateParameters(sql).map((p) => [p.name, p.type, p.default])).toEqual([
      ['n', 'Int8', -1],
      ['ids', 'Array(Int32)', undefined],
    ]);
  });
});
