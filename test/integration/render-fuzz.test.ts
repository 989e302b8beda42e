/**
 * Random registrations (IDs, tags, meta, addresses, ports), registered
 * straight into a real Consul, and random KV values go through the real
 * render loop and the real `nginx -t` in the local nginx image. After every
 * round, each input is either in the live config (which passed `nginx -t`)
 * or named as left out, with a reason; and the config keeps the template's
 * shape: only its `server` lines, `server_name` and `set` carry data, one
 * statement each.
 *
 * Bounded by default (DT_FUZZ_ROUNDS=25 rounds of a few inputs, ~20 s);
 * DT_FUZZ_ROUNDS=500 runs many more. DT_FUZZ_SEED replays a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderHarness } from '../support/render-harness.js';
import { waitFor } from '../support/wait.js';

const ROUNDS = Number(process.env.DT_FUZZ_ROUNDS ?? 25);
const SEED = Number(process.env.DT_FUZZ_SEED ?? Date.now() % 1_000_000);

const TEMPLATE = `upstream fuzz {
{{- range service "fuzz|any"}}
  server {{.Address}}:{{.Port}} {{index .ServiceMeta "opts"}}; # {{.ID}} {{join "," .Tags}} {{index .ServiceMeta "note"}}
{{- else}}
  server 127.0.0.1:65535; # none
{{- end}}
}

server {
  listen 80 default_server;
  server_name {{keyOrDefault "fuzz/name" "localhost"}};
  location / {
    set $fuzz "{{key "fuzz/value"}}";
    proxy_pass http://fuzz;
  }
}
`;

/** Words as nginx reads them: no statement end, block, quote, variable, or "#" where a word starts. */
const WORDS = String.raw`(?:[^\s;{}'"\`$\\#][^\s;{}'"\`$\\]*| )`;
/** The lines that carry data; every other line must be the template's own. */
const DATA_LINES = [
  new RegExp(String.raw`^ {2}server \S+:\d+ ${WORDS}*; # .*$`),
  /^ {2}server 127\.0\.0\.1:65535; # none$/,
  new RegExp(String.raw`^ {2}server_name ${WORDS}+;$`),
  /^ {4}set \$fuzz "[^\n;{}'"`$\\]*";$/,
];
const SKELETON = [
  'upstream fuzz {',
  '}',
  '',
  'server {',
  '  listen 80 default_server;',
  '  location / {',
  '    proxy_pass http://fuzz;',
  '  }',
  '}',
  '',
];

/** mulberry32: small, seeded, good enough to pick test inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(SEED);
const int = (max: number): number => Math.floor(next() * max);
const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
const octet = (): number => (next() < 0.9 ? int(256) : 256 + int(800));
const NASTY = [
  ';',
  '{',
  '}',
  '#',
  '"',
  "'",
  '$',
  '\\',
  '\n',
  '\t',
  ' ',
  '`',
  '/',
  ':',
  '=',
  'é',
  '\u0000',
  '*',
  '~',
];
const word = (): string =>
  Array.from({ length: 1 + int(8) }, () => (next() < 0.15 ? pick(NASTY) : pick([...'abcxyz019-_.']))).join(
    '',
  );

const ADDRESSES: (() => string)[] = [
  () => `10.${int(256)}.${int(256)}.${1 + int(254)}`,
  () => `${octet()}.${octet()}.${octet()}.${octet()}`,
  () => `10.0.0.${int(256)}:${int(70000)}`,
  () => pick(['::1', 'fd00::1', '[fd00::2]', '::ffff:10.0.0.9', 'fe80::1%eth0', '::1::2', 'fd00:::3']),
  () => pick(['db.internal', 'localhost', 'web-1.example.com', '1.2.3', '1.2.3.4.5']),
  () => `10.0.0.${int(256)}${pick(NASTY)}${word()}`,
  () => '',
  word,
];
const PORTS = [80, 8080, 65535, 1, 0, 65536, 443];
const OPTS = [
  '',
  'weight=5',
  'max_fails=3 fail_timeout=60',
  'backup',
  'down',
  'max_conns=10',
  'weight=0',
  'weight=lots',
  'slow_start=10s',
  'resolve',
  'weight=5 #',
  'weight=1; down',
  'fail_timeout=x',
];
const NAMES = [
  () => `app${int(100)}.example.com`,
  () => 'localhost',
  () => `*.example.${pick(['com', '*'])}`,
  () => pick(['~^(www\\.)?x$', '~(', '~^[a-', 'a b c', '']),
  () => 'prod; } server { listen 9999; server_name x',
  word,
];

interface Registered {
  id: string;
  accepted: boolean;
}

describe(`fuzzing the render with random registrations and KV values (seed ${SEED}, ${ROUNDS} rounds)`, () => {
  let harness: RenderHarness;
  let inputs = 0;
  let refusedByConsul = 0;
  let leftOut = 0;

  beforeAll(async () => {
    harness = await RenderHarness.start(TEMPLATE);
    await harness.waitForConfig('the first render', (c) => c.includes('# none'));
  });

  afterAll(async () => {
    // The figures of this run, for the test output.
    console.log(
      `render fuzz: seed ${SEED}, ${ROUNDS} rounds, ${inputs} inputs tried (registrations and KV values), ${refusedByConsul} refused by Consul itself, ${leftOut} left out of the config with a reason`,
    );
    await harness?.stop();
  });

  function checkShape(config: string): void {
    const lines = config.split('\n');
    const data = lines.filter((line) => DATA_LINES.some((pattern) => pattern.test(line)));
    expect(lines.filter((line) => !data.includes(line))).toEqual(SKELETON);
    expect(data.filter((line) => line.startsWith('  server_name '))).toHaveLength(1);
    expect(data.filter((line) => line.startsWith('    set $fuzz '))).toHaveLength(1);
  }

  /** True once every input of the round is live or named as left out, and nginx took the result. */
  function accounted(current: Registered[], gone: string[], kv: Record<string, string>): string | undefined {
    const config = harness.lb.status().config ?? '';
    const status = harness.loop.status();
    const excluded = new Set(status.excluded.map((e) => e.serviceId));
    const excludedKeys = new Set(status.excludedKeys.map((e) => e.key));
    for (const { id, accepted } of current) {
      if (!accepted) continue;
      if (!config.includes(`# ${id} `) && !excluded.has(id)) return `instance ${JSON.stringify(id)}`;
    }
    for (const id of gone) if (config.includes(`# ${id} `)) return `removed instance ${JSON.stringify(id)}`;
    const name = kv['fuzz/name']!;
    if (!excludedKeys.has('fuzz/name') && !config.includes(`  server_name ${name};\n`))
      return `fuzz/name ${JSON.stringify(name)}`;
    if (excludedKeys.has('fuzz/name') && !config.includes('  server_name localhost;\n'))
      return 'the default of fuzz/name';
    const value = kv['fuzz/value']!;
    const expected = excludedKeys.has('fuzz/value') ? '' : value;
    if (!config.includes(`    set $fuzz "${expected}";\n`)) return `fuzz/value ${JSON.stringify(value)}`;
    if (harness.lb.status().lastError) return `nginx's refusal: ${harness.lb.status().lastError?.message}`;
    return undefined;
  }

  it(
    'renders every input that nginx accepts, names every other one, and keeps the template shape',
    async () => {
      let previous: Registered[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const { id, accepted } of previous) if (accepted) await harness.deregister(id);
        const current: Registered[] = [];
        for (let i = 0, count = 1 + int(4); i < count; i++) {
          const id = `${word()}-${round}-${i}`;
          const tags = Array.from({ length: int(3) }, word);
          const meta: Record<string, string> = { opts: pick(OPTS), note: word() };
          const accepted = await harness.register({
            ID: id,
            Name: 'fuzz',
            Address: pick(ADDRESSES)(),
            Port: pick(PORTS),
            Tags: tags,
            Meta: meta,
          });
          inputs++;
          if (!accepted) refusedByConsul++;
          current.push({ id, accepted });
        }
        const kv = { 'fuzz/name': pick(NAMES)(), 'fuzz/value': next() < 0.5 ? word() : `v${round}` };
        for (const [key, value] of Object.entries(kv)) {
          await harness.putKey(key, value);
          inputs++;
        }
        const gone = previous.filter((r) => r.accepted).map((r) => r.id);
        try {
          await waitFor('every input of the round to be accounted for', () => !accounted(current, gone, kv), {
            timeoutMs: 20_000,
            intervalMs: 20,
          });
        } catch {
          const missing = accounted(current, gone, kv);
          throw new Error(
            `round ${round} (seed ${SEED}): ${missing} is neither live nor named as left out.\nconfig:\n${harness.lb.status().config}\nexcluded: ${JSON.stringify(harness.loop.status())}\nlast warnings:\n${harness.warnings().slice(-10).join('\n')}`,
          );
        }
        checkShape(harness.lb.status().config ?? '');
        const status = harness.loop.status();
        const excludedNow = new Set(status.excluded.map((e) => e.serviceId));
        leftOut += current.filter((r) => r.accepted && excludedNow.has(r.id)).length;
        leftOut += status.excludedKeys.length;
        previous = current;
      }
      // nginx still serves (the backends are made up: any HTTP answer will do).
      const response = await fetch(harness.lbUrl, { signal: AbortSignal.timeout(5000) });
      expect(response.status).toBeGreaterThanOrEqual(200);
      await response.text();
    },
    Math.max(120_000, ROUNDS * 5000),
  );
});
