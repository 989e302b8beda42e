/** The user's Consul given as several addresses: flags, the setting and the environment's comma list. */
import { describe, expect, it } from 'vitest';
import { SETTING_FIELDS } from '../../contract/settings.js';
import { parseUpOptions } from '../../main/cli/up.js';
import { parseConsulAddresses } from '../../main/engine/consul/consul-addresses.js';
import { consulUrl } from '../../main/engine/consul/consul-connection.js';

describe('parseConsulAddresses', () => {
  it('reads repeated entries and comma lists in order, each agent once, with the token on each', () => {
    const endpoints = parseConsulAddresses(['10.0.0.1:8500, http://10.0.0.2:8500', 'https://c.example'], 't');
    expect(endpoints.map(consulUrl)).toEqual([
      'http://10.0.0.1:8500',
      'http://10.0.0.2:8500',
      'https://c.example:443',
    ]);
    expect(endpoints.every((e) => e.token === 't')).toBe(true);
    expect(parseConsulAddresses('a:1,a:1,http://a:1').map(consulUrl)).toEqual(['http://a:1']);
  });

  it('names the bad entry and its position, and says what to write', () => {
    expect(() => parseConsulAddresses('10.0.0.1:8500,ftp://x:1')).toThrow(
      /must use http or https \(address 2 of 2\)/,
    );
    expect(() => parseConsulAddresses(['a:1', 'a:99999'])).toThrow(/no valid port .*address 2 of 2/);
    expect(() => parseConsulAddresses(' , ')).toThrow(/No Consul address given: use HOST:PORT/);
  });
});

describe('up --consul', () => {
  it('accepts the flag repeated, and keeps the list in the order given', () => {
    const { flags } = parseUpOptions([
      '--consul',
      '127.0.0.1:8501',
      '--consul',
      '127.0.0.1:8502,127.0.0.1:8503',
    ]);
    expect(flags.consulAddress).toBe('http://127.0.0.1:8501,http://127.0.0.1:8502,http://127.0.0.1:8503');
  });

  it('refuses a bad entry before anything starts', () => {
    expect(() => parseUpOptions(['--consul', '127.0.0.1:8501', '--consul', 'not an address'])).toThrow(
      /--consul: "not an address" is not a Consul address; use HOST:PORT.*\(address 2 of 2\)/,
    );
  });
});

describe('the consulAddress setting', () => {
  const valid = (text: string): boolean => SETTING_FIELDS.consulAddress.schema.safeParse(text).success;

  it('takes one address or a comma list of them', () => {
    expect(valid('127.0.0.1:8500')).toBe(true);
    expect(valid('http://10.0.0.1:8500, 10.0.0.2:8500,10.0.0.3')).toBe(true);
    expect(valid('')).toBe(true);
  });

  it('refuses an empty entry or words, saying how to write several', () => {
    for (const bad of ['a:1,,b:2', 'a:1,', 'not an address']) expect(valid(bad)).toBe(false);
    const result = SETTING_FIELDS.consulAddress.schema.safeParse('a:1,');
    expect(result.error?.issues[0]?.message).toMatch(/separate them with commas/);
  });
});
