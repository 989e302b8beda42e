import { describe, expect, it } from 'vitest';
import { parseAccessLogLine, parsePageLine } from '../../main/engine/hits/log-formats.js';

describe('parsePageLine (simple-web)', () => {
  it('reads the counter and the server address from the classic line', () => {
    expect(
      parsePageLine('2026-11-28 10:01:02: 17 requests from <LOCAL: 172.18.0.3> to WebServer <172.18.0.5>'),
    ).toEqual({ count: 17, serverIp: '172.18.0.5' });
  });

  it('ignores anything else the container prints', () => {
    expect(parsePageLine('httpd: started')).toBeUndefined();
    expect(parsePageLine('')).toBeUndefined();
    expect(
      parsePageLine('2026-11-28 10:01:02: many requests from <LOCAL: x> to WebServer <y>'),
    ).toBeUndefined();
  });
});

describe('parseAccessLogLine (nginx $msec $upstream_addr $status $request_method $request_time)', () => {
  it('reads time, backend, status and method', () => {
    expect(parseAccessLogLine('1764324062.123 172.18.0.5:80 200 GET 0.004')).toEqual({
      atMs: 1764324062123,
      address: '172.18.0.5:80',
      status: 200,
      method: 'GET',
    });
  });

  it('counts the last backend of a retried request', () => {
    expect(parseAccessLogLine('1764324062.123 172.18.0.5:80, 172.18.0.6:80 200 GET 0.010')?.address).toBe(
      '172.18.0.6:80',
    );
    expect(
      parseAccessLogLine('1764324062.123 172.18.0.5:80, 172.18.0.6:80 : 172.18.0.7:80 200 POST 0.010')
        ?.address,
    ).toBe('172.18.0.7:80');
  });

  it('skips requests no backend served, and lines that are not access log lines', () => {
    expect(parseAccessLogLine('1764324062.123 - 503 GET 0.000')).toBeUndefined();
    expect(parseAccessLogLine('1764324062.123 127.0.0.1:65535 502 GET 0.000')).toBeUndefined();
    expect(parseAccessLogLine('dt-reply 3 0 b2xkOiAxMjMg')).toBeUndefined();
    expect(parseAccessLogLine('2026/11/28 10:01:02 [notice] 1#1: signal process started')).toBeUndefined();
  });

  it('keeps 4xx answers from a backend: it served them', () => {
    expect(parseAccessLogLine('1764324062.5 172.18.0.5:80 404 GET 0.001')).toBeUndefined();
    expect(parseAccessLogLine('1764324062.500 172.18.0.5:80 404 GET 0.001')?.status).toBe(404);
  });
});
