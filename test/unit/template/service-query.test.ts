import { describe, expect, it } from 'vitest';
import { parseServiceQuery } from '../../../main/engine/template/index.js';

describe('parseServiceQuery', () => {
  it('parses names, tags and filters', () => {
    expect(parseServiceQuery('web')).toEqual({ name: 'web', filter: 'passing' });
    expect(parseServiceQuery('backend.web')).toEqual({ name: 'web', tag: 'backend', filter: 'passing' });
    expect(parseServiceQuery('web|any')).toEqual({ name: 'web', filter: 'any' });
    expect(parseServiceQuery('backend.web|any')).toEqual({ name: 'web', tag: 'backend', filter: 'any' });
    expect(parseServiceQuery('web|passing')).toEqual({ name: 'web', filter: 'passing' });
  });

  it('takes the last dot as the tag separator, as consul-template does', () => {
    expect(parseServiceQuery('v1.2.api')).toEqual({ name: 'api', tag: 'v1.2', filter: 'passing' });
    expect(parseServiceQuery('my-svc_2')).toEqual({ name: 'my-svc_2', filter: 'passing' });
  });

  it('says that datacenters are not supported', () => {
    expect(() => parseServiceQuery('web@dc1')).toThrow(/datacenters are not supported/);
    expect(() => parseServiceQuery('backend.web@dc1|any')).toThrow(/datacenters are not supported/);
  });

  it('rejects other filters, near sorting and malformed queries', () => {
    expect(() => parseServiceQuery('web|critical')).toThrow(/unsupported health filter "critical"/);
    expect(() => parseServiceQuery('web|passing,warning')).toThrow(/unsupported health filter/);
    expect(() => parseServiceQuery('web~agent')).toThrow(/near/);
    expect(() => parseServiceQuery('')).toThrow(/invalid service query/);
    expect(() => parseServiceQuery('we b')).toThrow(/invalid service query/);
  });
});
