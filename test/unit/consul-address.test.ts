import { describe, expect, it } from 'vitest';
import {
  consulUrl,
  parseConsulAddress,
  type ConsulEndpoint,
} from '../../main/engine/consul/consul-connection.js';
import { UserError } from '../../main/engine/errors.js';

describe('parseConsulAddress', () => {
  it.each<[string, ConsulEndpoint]>([
    ['127.0.0.1:8500', { host: '127.0.0.1', port: 8500, secure: false }],
    ['consul', { host: 'consul', port: 8500, secure: false }],
    ['http://h:1', { host: 'h', port: 1, secure: false }],
    ['https://h', { host: 'h', port: 443, secure: true }],
    ['https://consul.example:8501', { host: 'consul.example', port: 8501, secure: true }],
    ['HTTP://Consul.Example:8500', { host: 'consul.example', port: 8500, secure: false }],
    ['[::1]:8500', { host: '::1', port: 8500, secure: false }],
    ['https://[fd00::5]', { host: 'fd00::5', port: 443, secure: true }],
  ])('%s', (text, expected) => {
    expect(parseConsulAddress(text)).toEqual(expected);
  });

  it('keeps an explicit port 80', () => {
    expect(parseConsulAddress('consul.example:80')).toEqual({
      host: 'consul.example',
      port: 80,
      secure: false,
    });
    expect(parseConsulAddress('http://consul.example:80')).toEqual({
      host: 'consul.example',
      port: 80,
      secure: false,
    });
  });

  it.each(['not a host', '', 'h:99999', 'h:abc', 'ftp://h:21', 'http://'])(
    'refuses %j with a UserError',
    (text) => {
      let error: unknown;
      try {
        parseConsulAddress(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('bad-consul-address');
      expect((error as UserError).message).toContain(JSON.stringify(text));
    },
  );

  it('keeps the token in the endpoint, and only there', () => {
    const endpoint = parseConsulAddress('https://consul.example:8501', 's3cr3t-token');
    expect(endpoint).toEqual({ host: 'consul.example', port: 8501, secure: true, token: 's3cr3t-token' });
    expect(consulUrl(endpoint)).toBe('https://consul.example:8501');
  });

  it('has no token property without a token', () => {
    expect('token' in parseConsulAddress('127.0.0.1:8500')).toBe(false);
    expect('token' in parseConsulAddress('127.0.0.1:8500', '')).toBe(false);
  });
});

describe('consulUrl', () => {
  it.each<[ConsulEndpoint, string]>([
    [{ host: '127.0.0.1', port: 8500, secure: false }, 'http://127.0.0.1:8500'],
    [{ host: 'h', port: 443, secure: true }, 'https://h:443'],
    [{ host: '::1', port: 8500, secure: false }, 'http://[::1]:8500'],
  ])('%j -> %s', (endpoint, url) => {
    expect(consulUrl(endpoint)).toBe(url);
  });

  it.each(['127.0.0.1:8500', 'http://h:1', 'https://h', '[::1]:8500', 'https://[fd00::5]:8501', 'consul'])(
    'round trip for %s',
    (text) => {
      const endpoint = parseConsulAddress(text);
      expect(parseConsulAddress(consulUrl(endpoint))).toEqual(endpoint);
    },
  );

  it('round trip keeps the token when it is passed again', () => {
    const endpoint = parseConsulAddress('[::1]:8500', 'tok');
    expect(parseConsulAddress(consulUrl(endpoint), endpoint.token)).toEqual(endpoint);
  });
});
