import { describe, expect, it } from 'vitest';
import {
  addressForm,
  allowsHostNames,
  isSafeConfigText,
  sanitizeInstance,
} from '../../main/engine/render/sanitize.js';
import { instance } from './template/helpers.js';

describe('what Consul data may reach the nginx config', () => {
  it('takes addresses as nginx reads them: IPv4 in range, IPv6 in brackets', () => {
    expect(addressForm('10.0.0.1')).toEqual({ kind: 'ip', rendered: '10.0.0.1' });
    expect(addressForm('::1')).toEqual({ kind: 'ip', rendered: '[::1]' });
    expect(addressForm('[fd00::5]')).toEqual({ kind: 'ip', rendered: '[fd00::5]' });
    expect(addressForm('::ffff:10.0.0.1')).toEqual({ kind: 'ip', rendered: '[::ffff:10.0.0.1]' });
    for (const bad of [
      '1.2.3.4:9',
      '999.1.1.1',
      '1.2.3',
      'fe80::1%eth0',
      '::1::2',
      '10.0.0.1;',
      '',
      ' 10.0.0.1',
    ])
      expect(addressForm(bad), bad).toEqual({ kind: 'invalid' });
    expect(addressForm('db.internal')).toEqual({ kind: 'host' });
    expect(addressForm('1.2.3.4.5')).toEqual({ kind: 'invalid' });
  });

  it('renders host names only for a template that asks for them', () => {
    expect(allowsHostNames('{{/* discovery-tray: allow-hostnames */}}\nupstream x {}')).toBe(true);
    expect(allowsHostNames('{{- /*  discovery-tray: allow-hostnames  */ -}}')).toBe(true);
    expect(allowsHostNames('# discovery-tray: allow-hostnames')).toBe(false);
    const result = sanitizeInstance(instance(1, { Address: 'db.internal' }), () => undefined);
    expect(result).toMatchObject({ hostName: true, instance: { Address: 'db.internal' } });
  });

  it('refuses text that nginx would read as more than words', () => {
    for (const ok of ['weight=5', 'app.example.com www.example.com', 'a#b', 'v1.2 (beta)', 'http://x/y?z=1'])
      expect(isSafeConfigText(ok), ok).toBe(true);
    for (const bad of [
      'weight=5 #',
      '#x',
      'a;b',
      'a}',
      '{',
      '"q"',
      "'q'",
      '$host',
      'a\\b',
      'a\nb',
      'a\tb',
      '`x`',
    ])
      expect(isSafeConfigText(bad), bad).toBe(false);
  });

  it('drops an instance with a bad address and says why; drops unsafe meta and keeps the instance', () => {
    const warnings: string[] = [];
    const refused = sanitizeInstance(instance(1, { ID: 'bad', Address: '1.2.3.4:9' }), (w) =>
      warnings.push(w),
    );
    expect(refused).toEqual({
      refused: {
        serviceId: 'bad',
        service: 'web',
        address: '1.2.3.4:9:8080',
        reason: 'address "1.2.3.4:9" is not an IP address (IPv4, or IPv6) or a host name',
      },
    });
    const kept = sanitizeInstance(instance(2, { ServiceMeta: { opts: 'weight=5 #', ok: 'x' } }), (w) =>
      warnings.push(w),
    );
    expect(kept).toMatchObject({ hostName: false, instance: { ServiceMeta: { ok: 'x' } } });
    expect(warnings).toEqual([
      'service "web" instance "bad": address "1.2.3.4:9" is not an IP address (IPv4, or IPv6) or a host name; it is left out of the config',
      'service "web" instance "web-2": meta "opts" was dropped (unsafe characters)',
    ]);
  });
});
