/**
 * The tray adapter: holds the one Tray, and on every engine change rebuilds the
 * menu (Linux only picks up a menu through setContextMenu) and swaps the image
 * and tooltip when the state calls for it.
 */
import { Menu, Tray, nativeImage, nativeTheme } from 'electron';
import { trayIconPath } from './tray-icons.js';
import { buildTrayTemplate, trayLook, type TrayActions, type TrayState } from './tray-menu.js';

/** Where the tray reads its state, and learns that it changed. */
export interface TraySource {
  state(): TrayState;
  onChange(listener: () => void): () => void;
}

/** Changes arrive in bursts (a scale emits several); one rebuild per burst is enough. */
export const TRAY_REFRESH_DELAY_MS = 100;

export class TrayController {
  private tray: Tray | undefined;
  private iconPath = '';
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly onThemeUpdated = (): void => this.refresh();

  constructor(
    private readonly source: TraySource,
    private readonly actions: TrayActions,
    private readonly assetsDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  start(): void {
    const { icon } = trayLook(this.source.state());
    this.iconPath = this.iconFor(icon);
    this.tray = new Tray(nativeImage.createFromPath(this.iconPath));
    // Windows opens the dashboard on a click; Linux and macOS show the menu.
    if (this.platform === 'win32') this.tray.on('click', () => this.actions.showDashboard());
    this.unsubscribe = this.source.onChange(() => this.schedule());
    nativeTheme.on('updated', this.onThemeUpdated);
    this.refresh();
  }

  private iconFor(state: ReturnType<typeof trayLook>['icon']): string {
    return trayIconPath(this.assetsDir, state, this.platform, nativeTheme.shouldUseDarkColors);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, TRAY_REFRESH_DELAY_MS);
  }

  /** Rebuilds the menu and updates image and tooltip from the current state. */
  refresh(): void {
    const tray = this.tray;
    if (!tray || tray.isDestroyed()) return;
    const view = this.source.state();
    const look = trayLook(view);
    const path = this.iconFor(look.icon);
    if (path !== this.iconPath) {
      this.iconPath = path;
      tray.setImage(nativeImage.createFromPath(path));
    }
    tray.setToolTip(look.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(buildTrayTemplate(view, this.actions)));
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    nativeTheme.removeListener('updated', this.onThemeUpdated);
    if (this.tray && !this.tray.isDestroyed()) this.tray.destroy();
    this.tray = undefined;
  }
}
