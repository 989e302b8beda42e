import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_UPSTREAM,
  LB_DIR,
  LIVE_UPSTREAM,
  PID_FILE,
  applyScript,
  checkByExecScript,
  drainScript,
  mainConfig,
  newestSeqIn,
  parseNginxTestOutput,
  printfEscape,
  servingForMs,
} from '../../main/engine/lb/nginx-files.js';
import { parseReply } from '../../main/engine/lb/lb-channel.js';
import { supervisorScript } from '../../main/engine/lb/nginx-files.js';
import { TRICKY_CONFIGS } from '../support/tricky-configs.js';

describe('nginx files', () => {
  it('live and candidate main configs differ only in the folder they include', () => {
    const live = mainConfig('live');
    const candidate = mainConfig('candidate');
    expect(live).toContain('include /etc/discovery-tray/live/*.conf;');
    expect(candidate).toContain('include /etc/discovery-tray/candidate/*.conf;');
    expect(live.replace('/live/', '/candidate/')).toBe(candidate);
    expect(live).toContain('$upstream_addr');
  });

  it('escapes configs so that the supervisor (read -r, then printf %b in dash) writes them back exactly', () => {
    for (const config of TRICKY_CONFIGS) {
      const escaped = printfEscape(config);
      expect(escaped).not.toMatch(/[\s]/);
      const written = execFileSync(
        'dash',
        [
          '-c',
          'printf "%s\\n" "$1" | { read -r id op config; printf "%b" "$config"; }',
          'sh',
          `7 apply ${escaped}`,
        ],
        { maxBuffer: 1 << 24 },
      );
      expect(written.toString('utf8')).toBe(config);
    }
  });

  it('writes the candidate and the live config with builtins when the config comes in a variable', () => {
    const script = applyScript(1000, 'escaped');
    expect(script).not.toMatch(/\b(base64|mv|cat|cp)\b/);
    expect(script.indexOf(`> ${CANDIDATE_UPSTREAM}`)).toBeLessThan(script.indexOf('nginx -t'));
    expect(script.indexOf('nginx -t')).toBeLessThan(script.indexOf(`> ${LIVE_UPSTREAM}`));
    expect(script.indexOf(`> ${LIVE_UPSTREAM}`)).toBeLessThan(script.indexOf('kill -HUP'));
  });

  it('refuses a request without a config before it writes anything', () => {
    for (const source of ['escaped', 'env'] as const) {
      const run = (): Buffer =>
        execFileSync('dash', ['-c', applyScript(1000, source)], {
          env: { PATH: process.env.PATH },
          stdio: 'pipe',
        });
      expect(run).toThrow(
        expect.objectContaining({ status: 4, stdout: Buffer.from('no config in the request\n') }),
      );
    }
  });

  /** Runs a script in dash with the LB folder moved to a temporary one and `nginx -t` always passing. */
  function runInDash(
    script: string,
    env: Record<string, string> = {},
  ): { dir: string; status: number; out: string } {
    const dir = mkdtempSync(join(tmpdir(), 'dt-lb-'));
    execFileSync('mkdir', ['-p', join(dir, 'candidate'), join(dir, 'live')]);
    return runIn(dir, script, env);
  }

  function runIn(
    dir: string,
    script: string,
    env: Record<string, string> = {},
  ): { dir: string; status: number; out: string } {
    // Never the host's nginx: no pid file, so the apply stops before it would signal anything.
    const moved = script
      .replaceAll(LB_DIR, dir)
      .replaceAll(PID_FILE, join(dir, 'nginx.pid'))
      .replace(/nginx -t -q -c \S+/, 'true');
    const result = spawnSync('dash', ['-c', moved], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
    return { dir, status: result.status ?? -1, out: result.stdout + result.stderr };
  }

  it('refuses an apply older than the newest it has seen, and remembers the newest', () => {
    const config = { DISCOVERY_TRAY_CANDIDATE: 'server {}' };
    const { dir, status } = runInDash(applyScript(1000, 'env', 9), config);
    // Past the check and the number: only the missing nginx stops it.
    expect(status).toBe(4);
    expect(readFileSync(join(dir, 'apply-seq'), 'utf8')).toBe('9\n');
    const stale = runIn(dir, applyScript(1000, 'env', 5), config);
    expect(stale).toMatchObject({ status: 6, out: 'stale apply 5: 9 is newer\n' });
    expect(newestSeqIn(stale.out)).toBe(9);
    expect(readFileSync(join(dir, 'apply-seq'), 'utf8')).toBe('9\n');
    writeFileSync(join(dir, 'candidate', 'upstream.conf'), '');
    expect(runIn(dir, applyScript(1000, 'env', 9), config).status).toBe(4);
  });

  it('checks a config by exec on an older LB container, writing the main config it needs', () => {
    const { dir, status } = runInDash(checkByExecScript(), { DISCOVERY_TRAY_CANDIDATE: 'server { }' });
    expect(status).toBe(0);
    expect(readFileSync(join(dir, 'check.conf'), 'utf8')).toBe(
      mainConfig('check').replaceAll(LB_DIR, dir).replaceAll(PID_FILE, join(dir, 'nginx.pid')),
    );
    expect(readFileSync(join(dir, 'check', 'upstream.conf'), 'utf8')).toBe('server { }');
  });

  it('answers one plain line as it is and anything else in base64, and the engine reads both back exactly', () => {
    // The supervisor's own `reply` function, cut from the script it writes, run by dash.
    const script = supervisorScript();
    const reply = script.slice(script.indexOf('reply() {'), script.indexOf('\n}\n') + 2);
    const outputs = [
      'ok 172.18.0.5:80',
      'pong 12',
      'ok 10.0.0.2:80\nno 10.0.0.3:80 timed out',
      "nc: can't connect to remote host (10.0.0.3): Connection refused",
      '',
      ...TRICKY_CONFIGS.slice(0, 3),
    ];
    for (const [index, output] of outputs.entries()) {
      const line = execFileSync('dash', ['-c', `${reply}\nreply "$1" 3 "$2"`, 'sh', String(index), output], {
        encoding: 'utf8',
      });
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      // Plain only when one line of harmless characters; the rest is encoded.
      expect(line.includes(' =')).toBe(index < 2);
      expect(parseReply(line.slice(0, -1))).toEqual({
        id: index,
        exitCode: 3,
        output,
      });
    }
  });

  it('checks the candidate before it swaps and reloads', () => {
    const script = applyScript(1000);
    const check = script.indexOf('nginx -t');
    const swap = script.indexOf('mv ');
    const reload = script.indexOf('kill -HUP');
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(swap);
    expect(swap).toBeLessThan(reload);
    expect(script).toContain('|| exit 3');
  });

  it('reads how long the new workers had served when the apply finished, and never trusts nonsense', () => {
    expect(servingForMs('old: 12 13 \nserving:5012.34 5012.46\n')).toBeCloseTo(120, 5);
    expect(servingForMs('old:\n')).toBe(0);
    expect(servingForMs('serving:5012.46 5012.34')).toBe(0);
    expect(servingForMs('serving:1.00 999.00')).toBe(3000);
  });

  it('drains the given workers with a bounded wait', () => {
    const script = drainScript([12, 13], 1000);
    expect(script).toContain('for p in 12 13');
    expect(script).toContain('-ge 50');
  });

  it('extracts the message and the offending lines from nginx -t output', () => {
    const rendered = ['upstream app {', '  least_conn;', '  bogus on;', '  server 10.0.0.1:80;', '}'].join(
      '\n',
    );
    const output = `nginx: [emerg] unknown directive "bogus" in ${CANDIDATE_UPSTREAM}:3\nnginx: configuration file /etc/discovery-tray/candidate.conf test failed\n`;
    const failure = parseNginxTestOutput(output, rendered);
    expect(failure.message).toBe('[emerg] unknown directive "bogus" in rendered template:3');
    expect(failure.line).toBe(3);
    expect(failure.excerpt).toEqual([
      '     1 | upstream app {',
      '     2 |   least_conn;',
      '>    3 |   bogus on;',
      '     4 |   server 10.0.0.1:80;',
      '     5 | }',
    ]);
  });

  it('keeps the whole output when nginx names no line', () => {
    const failure = parseNginxTestOutput('nginx: [emerg] no servers are inside upstream', 'x');
    expect(failure.line).toBeUndefined();
    expect(failure.message).toContain('no servers are inside upstream');
  });
});
