/**
 * The tray adapter: holds the one Tray, and on engine changes rebuilds the menu
 * (Linux only picks up a menu through setContextMenu) and swaps the image and
 * tooltip, coalesced by TrayRefresher (tray-refresh.ts) and only when what the
 * tray shows changed.
 */
import { Menu, Tray, nativeImage, nativeTheme, type NativeImage } from 'electron';
import { trayIconPath } from './tray-icons.js';
import { buildTrayTemplate, trayLook, type TrayActions, type TrayState } from './tray-menu.js';
import { TrayRefresher } from './tray-refresh.js';

export { TRAY_REFRESH_DELAY_MS } from './tray-refresh.js';

/** Where the tray reads its state, and learns that it changed. */
export interface TraySource {
  state(): TrayState;
  onChange(listener: () => void): () => void;
}

export class TrayController {
  private tray: Tray | undefined;
  private iconPath = '';
  private unsubscribe: (() => void) | undefined;
  private readonly refresher = new TrayRefresher(() => this.compute());
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
    this.tray = new Tray(this.image(this.iconPath));
    // Windows opens the dashboard on a click; Linux and macOS show the menu.
    if (this.platform === 'win32') this.tray.on('click', () => this.actions.showDashboard());
    this.unsubscribe = this.source.onChange(() => this.refresher.request());
    nativeTheme.on('updated', this.onThemeUpdated);
    this.refresh();
  }

  private iconFor(state: ReturnType<typeof trayLook>['icon']): string {
    return trayIconPath(this.assetsDir, state, this.platform, nativeTheme.shouldUseDarkColors);
  }

  /** macOS tints Template images for the menu bar (light, dark, highlighted); the name alone may not say so. */
  private image(path: string): NativeImage {
    const image = nativeImage.createFromPath(path);
    if (this.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  /** Rebuilds the menu and updates image and tooltip, if what they show changed. */
  refresh(): void {
    this.refresher.flush();
  }

  private compute(): { key: string; apply(): void } {
    const view = this.source.state();
    const look = trayLook(view);
    const path = this.iconFor(look.icon);
    const template = buildTrayTemplate(view, this.actions);
    // Click handlers are left out by JSON: what the key holds is what the tray shows.
    const key = JSON.stringify({ path, tooltip: look.tooltip, template });
    return { key, apply: () => this.apply(path, look.tooltip, template) };
  }

  private apply(path: string, tooltip: string, template: ReturnType<typeof buildTrayTemplate>): void {
    const tray = this.tray;
    if (!tray || tray.isDestroyed()) return;
    if (path !== this.iconPath) {
      this.iconPath = path;
      tray.setImage(this.image(path));
    }
    tray.setToolTip(tooltip);
    const menu = Menu.buildFromTemplate(template);
    // No rebuild under the user's pointer; one after the menu closes.
    menu.on('menu-will-show', () => this.refresher.menuOpened());
    menu.on('menu-will-close', () => this.refresher.menuClosed());
    tray.setContextMenu(menu);
  }

  destroy(): void {
    this.refresher.dispose();
    this.unsubscribe?.();
    nativeTheme.removeListener('updated', this.onThemeUpdated);
    if (this.tray && !this.tray.isDestroyed()) this.tray.destroy();
    this.tray = undefined;
  }
}
