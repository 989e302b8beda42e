import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BRIDGE_KEY,
  ipcChannel,
  operationsFor,
  pushChannel,
  type DiscoveryTrayApi,
  type EngineStatus,
} from '../../../contract/index.js';
import { electron, resetElectron } from '../../support/electron-double.js';
import { readyStatus } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

let api: DiscoveryTrayApi;
beforeAll(async () => {
  resetElectron();
  await import('../../../preload/preload.js');
  api = electron.contextBridge.exposed.get(BRIDGE_KEY) as DiscoveryTrayApi;
});

describe('the preload bridge', () => {
  it('exposes exactly the window’s operations of the contract and subscribe, and nothing of Electron', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect(BRIDGE_KEY).toBe('discoveryTray');
    expect(Object.keys(api).sort()).toEqual([...operationsFor('ui', 'desktop'), 'subscribe'].sort());
    expect(Object.keys(api)).not.toContain('down');
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('invokes one channel per call with the request as given', async () => {
    await api.scale({ service: 'web', count: 3 });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel('scale'), {
      service: 'web',
      count: 3,
    });
    await api.getTimeline();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel('getTimeline'));
    await api.getTimeline({ after: 12 });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel('getTimeline'), { after: 12 });
    await api.openExternal({ target: 'consul-ui' });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannel('openExternal'), {
      target: 'consul-ui',
    });
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ error: { message: 'no', code: 'internal' } });
    expect(await api.stopDemo()).toEqual({ error: { message: 'no', code: 'internal' } });
  });

  it('gives listeners the payload only, never the event, and unsubscribes', () => {
    const seen: unknown[][] = [];
    const unsubscribe = api.subscribe('status', (...args: unknown[]) => seen.push(args));
    const status: EngineStatus = readyStatus(2);
    const ipcEvent = { sender: 'the renderer must never see this' };
    electron.ipcRenderer.emit(pushChannel('status'), ipcEvent, status);
    expect(seen).toEqual([[status]]);
    unsubscribe();
    electron.ipcRenderer.emit(pushChannel('status'), ipcEvent, status);
    expect(seen).toHaveLength(1);
    expect(electron.ipcRenderer.listenerCount(pushChannel('status'))).toBe(0);
  });

  it('refuses a topic that is not in the contract (a page cannot pick a channel)', () => {
    expect(() => api.subscribe('discovery-tray:scale' as never, () => undefined)).toThrow(/no topic/);
    expect(electron.ipcRenderer.listenerCount('discovery-tray:push:discovery-tray:scale')).toBe(0);
  });
});
