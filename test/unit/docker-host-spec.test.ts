import { describe, expect, it } from 'vitest';
import { parseFollowedHost } from '../../main/engine/multi/docker-host-spec.js';
import { dockerHostFlags } from '../../main/engine/multi/docker-host-flags.js';
import type { ContainerFacts } from '../../main/engine/registrator/container-facts.js';
import { servicesForContainer } from '../../main/engine/registrator/service-spec.js';

describe('--docker-host given several times (several engines)', () => {
  it('keeps one engine as before when given once', () => {
    expect(dockerHostFlags(['unix:///var/run/docker.sock'])).toEqual({
      dockerHost: 'unix:///var/run/docker.sock',
    });
  });

  it('follows every further endpoint, with its address and name', () => {
    expect(
      dockerHostFlags([
        'unix:///var/run/docker.sock',
        'tcp://10.1.2.3:2375',
        'ssh://me@lab3,ip=10.1.2.4,name=lab3',
      ]),
    ).toEqual({
      dockerHost: 'unix:///var/run/docker.sock',
      followedHosts: [
        { address: 'tcp://10.1.2.3:2375', name: '10.1.2.3', ip: '10.1.2.3' },
        { address: 'ssh://me@lab3', name: 'lab3', ip: '10.1.2.4' },
      ],
    });
  });

  it('reads a TLS certificate folder', () => {
    expect(parseFollowedHost('tcp://lab2.example:2376,ip=10.1.2.5,tls=/certs/lab2')).toEqual({
      address: 'tcp://lab2.example:2376',
      name: 'lab2.example',
      ip: '10.1.2.5',
      tlsDir: '/certs/lab2',
    });
  });

  it('asks for the reachable address when the endpoint does not give one', () => {
    expect(() => parseFollowedHost('ssh://me@lab3')).toThrow(/ssh:\/\/me@lab3,ip=10\.1\.2\.3/);
    expect(() => parseFollowedHost('unix:///run/other.sock,name=b')).toThrow(/which IPv4 address/);
    expect(() => parseFollowedHost('tcp://10.1.2.3:2375,ip=lab')).toThrow(/which IPv4 address/);
  });

  it('refuses unknown options, options on the local engine and two hosts with one name', () => {
    expect(() => parseFollowedHost('tcp://10.1.2.3,port=1')).toThrow(/"port=1" is not an option/);
    expect(() => dockerHostFlags(['tcp://10.1.2.3:2375,ip=10.1.2.3'])).toThrow(
      /first --docker-host is the local/,
    );
    expect(() =>
      dockerHostFlags(['unix:///a.sock', 'tcp://10.1.2.3,name=x', 'tcp://10.1.2.4,name=x']),
    ).toThrow(/two engines are named "x"/);
    expect(() => dockerHostFlags(['unix:///a.sock', 'tcp://10.1.2.3,name=local'])).toThrow(/named "local"/);
  });
});

describe('a container on a followed host that publishes no port', () => {
  const unpublished: ContainerFacts = {
    Id: 'a'.repeat(64),
    Name: '/api',
    Config: { Image: 'api:1', Env: [], Labels: {}, ExposedPorts: { '8080/tcp': {} } },
    NetworkSettings: { Ports: { '8080/tcp': null }, Networks: { bridge: { IPAddress: '172.17.0.2' } } },
    State: { Running: true },
  };

  it('is skipped with a warning that names the fix', () => {
    const result = servicesForContainer(unpublished, {
      hostname: 'h',
      mode: 'published',
      hostIp: '10.1.2.3',
      warnUnpublished: true,
    });
    expect(result.services).toEqual([]);
    expect(result.warnings).toEqual([expect.stringContaining('run it with -p 8080')]);
  });

  it('stays silent on the local engine in published mode, as before', () => {
    expect(servicesForContainer(unpublished, { hostname: 'h', mode: 'published' }).warnings).toEqual([]);
  });
});

describe('a followed host named spread', () => {
  it('is refused: spread is the placement keyword of scale --host', () => {
    expect(() => parseFollowedHost('tcp://10.1.2.3:2375,name=spread')).toThrow(
      /"spread" is the word for spreading/,
    );
  });
});
