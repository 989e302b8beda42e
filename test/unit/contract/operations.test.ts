/** The contract's tables hold together: routes, channels, topics and error codes. */
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  EXIT,
  OPERATIONS,
  OPERATION_NAMES,
  TOPICS,
  TOPIC_NAMES,
  decodeQuery,
  encodeQuery,
  ipcChannel,
  operationsFor,
  pushChannel,
} from '../../../contract/index.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';

describe('the operation table', () => {
  it('gives every operation its own route and its own IPC channel', () => {
    const routes = OPERATION_NAMES.map((name) => `${OPERATIONS[name].method} ${OPERATIONS[name].path}`);
    expect(new Set(routes).size).toBe(routes.length);
    const channels = [...OPERATION_NAMES.map(ipcChannel), ...TOPIC_NAMES.map(pushChannel)];
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('names only error codes that exist', () => {
    for (const name of OPERATION_NAMES)
      for (const code of OPERATIONS[name].errors) expect(Object.keys(ERROR_CODES), `${name}`).toContain(code);
  });

  it('has one handler on the application service for every operation', () => {
    for (const name of OPERATION_NAMES)
      expect(typeof DiscoveryService.prototype[name], name).toBe('function');
  });

  it('reads every topic with a GET that the dashboards may call', () => {
    for (const topic of TOPIC_NAMES) {
      const reader = TOPICS[topic].readBy;
      expect(OPERATIONS[reader].method).toBe('GET');
      expect(operationsFor('ui')).toContain(reader);
    }
  });

  it('exits 2 only for requests that can never be right', () => {
    const usage = Object.entries(ERROR_CODES)
      .filter(([, spec]) => spec.exit === EXIT.usage)
      .map(([code]) => code)
      .sort();
    expect(usage).toEqual([
      'bad-consul-address',
      'bad-request',
      'method-not-allowed',
      'not-found',
      'too-large',
    ]);
    expect(ERROR_CODES['not-ready'].exit).toBe(EXIT.failure);
    expect(ERROR_CODES['port-in-use'].exit).toBe(EXIT.failure);
    expect(ERROR_CODES.unreachable.exit).toBe(EXIT.noEngine);
  });

  it('carries a GET request in the query as JSON values, so types survive', () => {
    expect(encodeQuery(undefined)).toBe('');
    expect(encodeQuery({ after: 3 })).toBe('?after=3');
    expect(decodeQuery(new URLSearchParams('after=3'))).toEqual({ after: 3 });
    expect(decodeQuery(new URLSearchParams('after=%223%22'))).toEqual({ after: '3' });
    expect(decodeQuery(new URLSearchParams('after=three'))).toEqual({ after: 'three' });
    expect(decodeQuery(new URLSearchParams(''))).toBeUndefined();
  });
});
