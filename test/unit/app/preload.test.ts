import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DiscoveryTrayApi, EngineStatus } from '../../../preload/api.js';
import { electron, resetElectron } from '../../support/electron-double.js';
import { readyStatus } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { BRIDGE_KEY, EVENTS, INVOKE } = await import('../../../main/app/ipc-channels.js');

let api: DiscoveryTrayApi;
beforeAll(async () => {
  resetElectron();
  await import('../../../preload/preload.js');
  api = electron.contextBridge.exposed.get(BRIDGE_KEY) as DiscoveryTrayApi;
});

describe('the preload bridge', () => {
  it('exposes exactly the contract under window.discoveryTray, and nothing of Electron', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect(BRIDGE_KEY).toBe('discoveryTray');
    expect(Object.keys(api).sort()).toEqual(
      [
        'getStatus',
        'scale',
        'getHits',
        'getTraffic',
        'startTraffic',
        'stopTraffic',
        'getTimeline',
        'getTemplate',
        'setTemplate',
        'startDemo',
        'stopDemo',
        'openExternal',
        'onStatus',
        'onHits',
        'onTimeline',
        'onTraffic',
      ].sort(),
    );
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invokes one channel per call with the arguments as given', async () => {
    await api.scale({ service: 'web', count: 3 });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(INVOKE.scale, { service: 'web', count: 3 });
    await api.getTimeline();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(INVOKE.getTimeline);
    await api.getTimeline(12);
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(INVOKE.getTimeline, 12);
    await api.openExternal('consul-ui');
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(INVOKE.openExternal, 'consul-ui');
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ error: { message: 'no', code: 'x' } });
    expect(await api.stopDemo()).toEqual({ error: { message: 'no', code: 'x' } });
  });

  it('gives listeners the payload only, never the event, and unsubscribes', () => {
    const seen: unknown[][] = [];
    const unsubscribe = api.onStatus((...args: unknown[]) => seen.push(args));
    const status: EngineStatus = readyStatus(2);
    const ipcEvent = { sender: 'the renderer must never see this' };
    electron.ipcRenderer.emit(EVENTS.status, ipcEvent, status);
    expect(seen).toEqual([[status]]);
    unsubscribe();
    electron.ipcRenderer.emit(EVENTS.status, ipcEvent, status);
    expect(seen).toHaveLength(1);
    expect(electron.ipcRenderer.listenerCount(EVENTS.status)).toBe(0);
  });
});
