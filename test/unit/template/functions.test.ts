import { afterEach, describe, expect, it, vi } from 'vitest';
import { TemplateRenderError } from '../../../main/engine/template/index.js';
import { caught, instance, out, render } from './helpers.js';

function errorOf(source: string): string {
  const error = caught(() => render(source));
  expect(error).toBeInstanceOf(TemplateRenderError);
  return error.message;
}

describe('comparison builtins', () => {
  it('compares with eq, ne, lt, le, gt, ge', () => {
    expect(
      out(
        '{{ eq 1 1 }} {{ eq "a" "b" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}',
      ),
    ).toBe('true false true true true true false');
  });

  it('treats eq with several arguments as "equal to any"', () => {
    expect(out('{{ eq 3 1 2 3 }} {{ eq "x" "a" "b" }}')).toBe('true false');
  });

  it('compares nil only with nil', () => {
    expect(out('{{ eq .Missing nil }} {{ eq "a" .Missing }}')).toBe('true false');
  });

  it('rejects ordering of incompatible or unordered types', () => {
    expect(errorOf('{{ lt 1 "a" }}')).toMatch(/error calling lt: incompatible types for comparison$/);
    expect(errorOf('{{ lt true false }}')).toMatch(/error calling lt: invalid type for comparison$/);
    expect(errorOf('{{ eq (split "," "a") (split "," "a") }}')).toMatch(/non-comparable type \[\]string$/);
    expect(errorOf('{{ eq 1 1.0 }}')).toMatch(/incompatible types for comparison$/);
  });

  it('negates with not', () => {
    expect(out('{{ not 0 }} {{ not "x" }} {{ not .Missing }}')).toBe('true false true');
  });
});

describe('len, index and slice', () => {
  it('measures strings in UTF-8 bytes, and lists and maps by element count', () => {
    expect(
      out(
        '{{ len "abc" }} {{ len "é" }} {{ len (service "web") }} {{ len (index (service "web") 0).ServiceMeta }}',
      ),
    ).toBe('3 2 2 1');
    expect(errorOf('{{ len 3 }}')).toMatch(/error calling len: len of type int$/);
  });

  it('indexes lists, maps and strings (as bytes)', () => {
    expect(
      out(
        '{{ index (split "," "a,b,c") 1 }} {{ index (index (service "web") 0).ServiceMeta "version" }} {{ index "abc" 0 }}',
      ),
    ).toBe('b 1.1 97');
    expect(out('{{ index (index (service "web") 0).ServiceMeta "nope" }}|')).toBe('|');
    expect(errorOf('{{ index (split "," "a") -1 }}')).toMatch(/index out of range: -1$/);
    expect(errorOf('{{ index (split "," "a") "x" }}')).toMatch(/cannot index slice\/array with type string$/);
    expect(errorOf('{{ index 5 0 }}')).toMatch(/can't index item of type int$/);
    expect(errorOf('{{ index .Missing 0 }}')).toMatch(/index of untyped nil$/);
  });

  it('slices lists and strings', () => {
    expect(out('{{ slice (split "," "a,b,c,d") 1 3 }} {{ slice "hello" 1 }} {{ slice "hello" 1 3 }}')).toBe(
      '[b c] ello el',
    );
    expect(errorOf('{{ slice "abc" 2 1 }}')).toMatch(/invalid slice index: 2 > 1$/);
  });
});

describe('escaping builtins', () => {
  it('escapes for HTML, JavaScript and URL queries as Go does', () => {
    expect(out('{{ html "<a href=\\"x\\">Tom & Jerry\'s</a>" }}')).toBe(
      '&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
    expect(out('{{ js "it\'s \\"<b>\\" & a=b\\n" }}')).toBe(
      'it\\\'s \\"\\u003Cb\\u003E\\" \\u0026 a\\u003Db\\u000A',
    );
    expect(out('{{ urlquery "a b&c=d/é~" }}')).toBe('a+b%26c%3Dd%2F%C3%A9~');
    expect(out('{{ html .Missing }}')).toBe('&lt;no value&gt;');
  });
});

describe('consul-template data functions', () => {
  it('returns healthy instances by default and all with |any', () => {
    expect(out('{{ range service "web" }}{{ .ID }} {{ end }}')).toBe('web-1 web-2 ');
    expect(out('{{ range service "web|any" }}{{ .ID }}:{{ .Status }} {{ end }}')).toBe(
      'web-1:passing web-2:passing web-3:critical ',
    );
    expect(out('{{ range service "web" "any" }}{{ .ID }} {{ end }}')).toBe('web-1 web-2 web-3 ');
  });

  it('passes the tag of "tag.name" queries to the data source', () => {
    const data = { services: { 'canary.web': [instance(7)], web: [instance(1)] } };
    expect(out('{{ range service "canary.web" }}{{ .ID }}{{ end }}', data)).toBe('web-7');
  });

  it('lists catalog services with their tags', () => {
    expect(out('{{ range services }}{{ .Name }}{{ range .Tags }} #{{ . }}{{ end }};{{ end }}')).toBe(
      'web #backend #production;db #primary;',
    );
  });

  it('reads keys: missing keys are empty, keyOrDefault falls back, keyExists tells', () => {
    expect(out('[{{ key "app/config" }}] [{{ key "app/missing" }}] [{{ key "/app/config" }}]')).toBe(
      '[cfg-value] [] [cfg-value]',
    );
    expect(
      out(
        '{{ keyOrDefault "app/config" "d" }} {{ keyOrDefault "app/missing" "d" }} [{{ keyOrDefault "app/empty" "d" }}]',
      ),
    ).toBe('cfg-value d []');
    expect(
      out('{{ keyExists "app/config" }} {{ keyExists "app/missing" }} {{ keyExists "app/empty" }}'),
    ).toBe('true false true');
  });

  it('reads environment variables', () => {
    expect(out('{{ env "HOME" }} [{{ env "UNSET" }}]')).toBe('/home/demo []');
  });

  it('rejects datacenter queries with a clear message', () => {
    expect(errorOf('{{ service "web@dc2" }}')).toMatch(
      /error calling service: .*datacenters are not supported/,
    );
    expect(errorOf('{{ key "app/config@dc2" }}')).toMatch(
      /error calling key: .*datacenters are not supported/,
    );
    expect(errorOf('{{ services "@dc2" }}')).toMatch(/error calling services: .*not supported/);
  });
});

describe('consul-template helper functions', () => {
  it('joins lists, in both call forms', () => {
    expect(
      out(
        '{{ join "," (split " " "a b c") }}|{{ (index (service "web") 0).Tags | join ";" }}|{{ join "," .Missing }}',
      ),
    ).toBe('a,b,c|backend;production|');
    expect(errorOf('{{ join "," "abc" }}')).toMatch(/wrong type for value; expected \[\]string; got string$/);
  });

  it('tests membership with contains and in, in both call forms', () => {
    const source =
      '{{ range service "web" }}{{ .ID }}:{{ .Tags | contains "production" }},{{ contains "backend" .Tags }},{{ in .Tags "x" }} {{ end }}';
    expect(out(source)).toBe('web-1:true,true,false web-2:false,true,false ');
    expect(out('{{ contains "ell" "hello" }} {{ contains 1 (split "," "1") }}')).toBe('true false');
  });

  it('checks several values with containsAll, containsAny, containsNone and containsNotAll', () => {
    const tags = '(index (service "web") 0).Tags';
    expect(
      out(
        `{{ containsAll (split "," "backend,production") ${tags} }} {{ containsAll (split "," "backend,x") ${tags} }} ` +
          `{{ containsAny (split "," "x,production") ${tags} }} {{ containsAny (split "," "x,y") ${tags} }} ` +
          `{{ containsNone (split "," "x,y") ${tags} }} {{ containsNotAll (split "," "backend,x") ${tags} }}`,
      ),
    ).toBe('true false true false true true');
    expect(
      out(
        `{{ containsNone (split "," "backend,y") ${tags} }} {{ containsNotAll (split "," "backend,production") ${tags} }}`,
      ),
    ).toBe('false false');
    expect(out(`{{ ${tags} | containsAny (split "," "production") }}`)).toBe('true');
  });

  it('changes case and trims', () => {
    expect(
      out(
        '{{ toLower "HeLLo" }} {{ toUpper "straße" }} {{ toLower "ΑΣ" }} {{ toTitle "hello wide-world o\'neil" }} [{{ trimSpace "\\t x y \\n" }}]',
      ),
    ).toBe("hello STRAßE ασ Hello Wide-World O'Neil [x y]");
  });

  it('splits (after trimming) and replaces', () => {
    expect(out('{{ split "," " a,b,,c \\n" }} {{ len (split "," "  ") }} {{ split "" "abc" }}')).toBe(
      '[a b  c] 0 [a b c]',
    );
    expect(
      out(
        '{{ replaceAll "." "-" "10.0.0.1" }} {{ "a-b" | replaceAll "-" "+" }} {{ replaceAll "" "." "ab" }}',
      ),
    ).toBe('10-0-0-1 a+b .a.b.');
  });

  it('parses numbers and booleans as consul-template does', () => {
    expect(
      out('{{ parseInt "42" }} {{ parseInt "-7" | printf "%T" }} {{ parseInt "" }} {{ parseUint "8" }}'),
    ).toBe('42 int 0 8');
    expect(
      out(
        '{{ parseFloat "1.5" }} {{ parseFloat "2" | printf "%T" }} {{ parseBool "true" }} {{ parseBool "0" }}',
      ),
    ).toBe('1.5 float64 true false');
    expect(out('{{ if gt (parseInt "10") 9 }}big{{ end }}')).toBe('big');
    expect(errorOf('{{ parseInt "4x" }}')).toMatch(
      /error calling parseInt: parseInt: strconv.ParseInt: parsing "4x": invalid syntax$/,
    );
    expect(errorOf('{{ parseInt "9223372036854775808" }}')).toMatch(/value out of range$/);
    expect(errorOf('{{ parseBool "yes" }}')).toMatch(/parsing "yes": invalid syntax$/);
  });

  it('groups instances by tag with byTag', () => {
    const data = {
      services: { web: [instance(1, { Tags: ['blue', 'all'] }), instance(2, { Tags: ['green', 'all'] })] },
    };
    const source =
      '{{ range $tag, $s := service "web" | byTag }}{{ $tag }}=[{{ range $s }}{{ .ID }} {{ end }}] {{ end }}';
    expect(out(source, data)).toBe('all=[web-1 web-2 ] blue=[web-1 ] green=[web-2 ] ');
    expect(errorOf('{{ byTag "x" }}')).toMatch(/byTag: wrong argument type string$/);
  });

  it('does arithmetic with the piped value first', () => {
    expect(
      out(
        '{{ add 1 2 }} {{ 5 | subtract 1 }} {{ multiply 3 4 }} {{ 2 | divide 7 }} {{ 10 | divide 4 }} {{ 10 | modulo 4 }}',
      ),
    ).toBe('3 4 12 0 2 2');
    expect(out('{{ add 0.5 1 }} {{ divide 4.0 10 }} {{ minimum 3 9 }} {{ maximum 3 9 }}')).toBe(
      '1.5 2.5 3 9',
    );
    expect(errorOf('{{ divide 0 1 }}')).toMatch(/error calling divide: divide: division by zero$/);
    expect(errorOf('{{ add "1" 2 }}')).toMatch(/add: unknown type for "1" \(string\)$/);
  });

  describe('timestamp', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('formats the current UTC time with Go layouts', () => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date(Date.UTC(2024, 2, 5, 14, 7, 9, 120)));
      expect(out('{{ timestamp }}')).toBe('2024-03-05T14:07:09Z');
      expect(out('{{ timestamp "unix" }}')).toBe('1709647629');
      expect(out('{{ timestamp "2006-01-02 15:04:05.000 MST" }}')).toBe('2024-03-05 14:07:09.120 UTC');
      expect(out('{{ timestamp "Mon Jan _2 3:04PM -0700 .999" }}')).toBe('Tue Mar  5 2:07PM +0000 .12');
    });
  });
});
