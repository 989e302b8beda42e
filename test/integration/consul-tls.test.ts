/**
 * The user's own Consul over https with a private CA: a real Consul server serving its API over TLS
 * only (a certificate for IP 127.0.0.1, signed by a CA this test makes with openssl), and a client
 * agent of the same cluster serving plain http. Without the CA, with another CA, or with a CA file
 * that cannot be read, a start on the https server is refused with what to do, before the stack is
 * touched. With the CA (`consulCaFile`, what --consul-ca and DISCOVERY_TRAY_CONSUL_CA set) and the
 * list `http://client, https://server` (the README's mixed list): web is registered and served;
 * the client agent killed under load, the engine moves to the https server (new connections, over
 * TLS with the CA) and keeps web registered there, 0 failed requests at the LB.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tar from 'tar-stream';
import type Dockerode from 'dockerode';
import type { Engine } from '../../main/engine/engine.js';
import { firstLiveConsul } from '../../main/engine/consul/consul-addresses.js';
import { parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { consulJson } from '../../main/engine/consul/consul-http.js';
import { probe } from '../../main/engine/traffic/http-probe.js';
import { TestResources, uniqueName, waitForConsulLeader } from '../support/docker-fixtures.js';
import { removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { loadThrough } from '../support/load-loop.js';
import { freePort } from '../support/ports.js';
import { refusedStart, stackOf } from '../support/refused-start.js';
import { TestCertificates } from '../support/test-certificates.js';
import { waitFor } from '../support/wait.js';

/** The certificate files as a tar for putArchive: /tls/ca.pem, /tls/server-cert.pem, /tls/server-key.pem. */
async function tlsArchive(certificates: TestCertificates): Promise<Buffer> {
  const pack = tar.pack();
  for (const name of ['ca.pem', 'server-cert.pem', 'server-key.pem'])
    pack.entry({ name: `tls/${name}`, mode: 0o644 }, certificates.read(name));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("a user's Consul over https with a private CA (real Docker, Consul, nginx)", () => {
  const resources = new TestResources();
  const certificates = new TestCertificates();
  const otherCa = new TestCertificates();
  let engine: Engine | undefined;
  let address: string;
  let client: { url: string; container: Dockerode.Container };

  beforeAll(async () => {
    const network = await resources.network();
    const port = await freePort();
    const serverName = uniqueName('dt-it-consul-tls');
    // Consul 1.8's TLS keys (the `tls` stanza came in 1.12); the plain HTTP port is off. Gossip on
    // the container's address (a dev agent binds 127.0.0.1), for the client agent to join.
    const container = await resources.run({
      image: testImages.consul,
      name: serverName,
      network,
      cmd: [
        'agent',
        '-dev',
        '-client',
        '0.0.0.0',
        '-bind',
        '{{ GetInterfaceIP "eth0" }}',
        '-hcl',
        'ports { http = -1 https = 8501 }',
        '-hcl',
        'cert_file = "/tls/server-cert.pem" key_file = "/tls/server-key.pem" ca_file = "/tls/ca.pem"',
      ],
      labels: { SERVICE_IGNORE: 'true' },
      exposedPorts: ['8501/tcp'],
      publish: { '8501/tcp': port },
      start: false,
    });
    await container.putArchive(await tlsArchive(certificates), { path: '/' });
    await container.start();
    address = `https://127.0.0.1:${port}`;
    const endpoint = parseConsulAddress(address, undefined, {
      caFile: certificates.path('ca.pem'),
      ca: certificates.read('ca.pem').toString(),
    });
    await waitFor(
      `a leader at ${address}`,
      async () =>
        ((await consulJson<string>(endpoint, '/v1/status/leader', { timeoutMs: 1000 })) ?? '') !== '',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const clientPort = await freePort();
    const clientName = uniqueName('dt-it-consul-client');
    client = {
      url: `http://127.0.0.1:${clientPort}`,
      container: await resources.run({
        image: testImages.consul,
        name: clientName,
        network,
        cmd: [
          'agent',
          `-node=${clientName}`,
          `-retry-join=${serverName}`,
          '-data-dir=/consul/data',
          '-client',
          '0.0.0.0',
          '-bind',
          '{{ GetInterfaceIP "eth0" }}',
        ],
        labels: { SERVICE_IGNORE: 'true' },
        exposedPorts: ['8500/tcp'],
        publish: { '8500/tcp': clientPort },
      }),
    };
    await waitForConsulLeader(client.url, 30_000);
  }, 90_000);

  afterAll(async () => {
    await removeTestStack({ engine });
    await resources.cleanup();
    certificates.remove();
    otherCa.remove();
  }, 60_000);

  it('refuses the start without the CA, saying how to give it, and creates nothing', async () => {
    const { error, project } = await refusedStart({ consulAddress: address });
    expect(error.code).toBe('consul-untrusted');
    expect(error.message).toContain(
      `The Consul server ${address} presented a TLS certificate that does not verify`,
    );
    expect(error.message).toContain(
      '--consul-ca FILE (or DISCOVERY_TRAY_CONSUL_CA, or the setting consulCaFile)',
    );
    expect(await stackOf(project)).toBe(0);
  }, 30_000);

  it('refuses another CA, naming its file, and creates nothing', async () => {
    const { error, project } = await refusedStart({
      consulAddress: address,
      consulCaFile: otherCa.path('ca.pem'),
    });
    expect(error.code).toBe('consul-untrusted');
    expect(error.message).toContain(`it was not signed by the CA in ${otherCa.path('ca.pem')}`);
    expect(await stackOf(project)).toBe(0);
  }, 30_000);

  it('refuses a CA file that cannot be read, or holds no certificate, and creates nothing', async () => {
    const missing = join(certificates.dir, 'no-such-ca.pem');
    const unreadable = await refusedStart({ consulAddress: address, consulCaFile: missing });
    expect(unreadable.error.code).toBe('bad-consul-ca');
    expect(unreadable.error.message).toContain(`The Consul CA file ${missing} cannot be read (ENOENT)`);
    expect(await stackOf(unreadable.project)).toBe(0);
    const key = await refusedStart({ consulAddress: address, consulCaFile: certificates.path('ca-key.pem') });
    expect(key.error.code).toBe('bad-consul-ca');
    expect(key.error.message).toContain('holds no PEM certificate');
    expect(await stackOf(key.project)).toBe(0);
  }, 30_000);

  it('says to write https:// when the address of a TLS port was given without it', async () => {
    const plain = parseConsulAddress(address.replace('https://', ''));
    const error = await firstLiveConsul([plain], {
      windowMs: 300,
      probeTimeoutMs: 1000,
      roundDelayMs: 100,
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`(HTTP 400: an https port, write ${address})`);
  });

  it('with the CA and a mixed list: registers web, serves it, and moves from http to https under load', async () => {
    ({ engine } = await startTestEngine({
      webCount: 1,
      consulAddress: `${client.url},${address}`,
      consulCaFile: certificates.path('ca.pem'),
    }));
    expect(engine.status().consul.connected).toBe(true);
    expect(engine.status().consul.url).toBe(client.url);
    const server = parseConsulAddress(address, undefined, {
      caFile: certificates.path('ca.pem'),
      ca: certificates.read('ca.pem').toString(),
    });
    const passingOn = async (node?: string): Promise<boolean> => {
      const list = await consulJson<{ Node: { Node: string } }[]>(
        server,
        '/v1/health/service/web?passing=true',
        {
          timeoutMs: 2000,
        },
      );
      return list?.length === 1 && (node === undefined || list[0]!.Node.Node === node);
    };
    await waitFor('web passing, read over https', () => passingOn(), { timeoutMs: 20_000, intervalMs: 200 });
    const lbUrl = engine.status().lb.url;
    await waitFor('the LB serving web', async () => (await probe(lbUrl, 'get')).ok || undefined, {
      timeoutMs: 20_000,
      intervalMs: 200,
    });

    const load = loadThrough(lbUrl);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Killed, not stopped: a client agent stopped with SIGTERM leaves the cluster first (its
    // leave_on_terminate default), which takes its registrations out of the catalog before the
    // engine sees it go (a graceful leave, not the failure this case is about).
    await client.container.kill();
    await waitFor(
      'the engine on the https server',
      () => engine!.status().consul.url === address && engine!.status().consul.connected,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const serverNode = (await consulJson<{ Config: { NodeName: string } }>(server, '/v1/agent/self', {
      timeoutMs: 2000,
    }))!.Config.NodeName;
    // Registered again on the https server's agent (with the CA), while the LB keeps serving.
    await waitFor('web passing on the https server', () => passingOn(serverNode), {
      timeoutMs: 20_000,
      intervalMs: 250,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { sent, failed, firstFailure } = await load.stop();
    console.info(
      `http agent killed, moved to https: ${sent} requests through the LB, ${failed} failed ${firstFailure}`,
    );
    if (failed > 0)
      console.info(
        engine.timeline
          .recent(40)
          .map((e) => `${new Date(e.at).toISOString()} ${e.kind} ${e.message}`)
          .join('\n'),
      );
    expect(sent).toBeGreaterThan(50);
    expect(failed).toBe(0);
    expect((await probe(lbUrl, 'get')).ok).toBe(true);
  }, 90_000);
});
