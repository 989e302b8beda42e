/**
 * When the tray menu may be rebuilt. Rebuilding replaces the native menu (on
 * Linux a new D-Bus menu), so: at most one rebuild per REFRESH_INTERVAL_MS,
 * none while the menu is open (it would close or flicker under the pointer),
 * one right after it closes, and none when nothing the tray shows changed.
 * Electron-free: the tray controller feeds it the menu's open/close events.
 */

/** Changes arrive in bursts (a scale emits several): at most 4 rebuilds per second. */
export const TRAY_REFRESH_DELAY_MS = 250;
/** Linux trays may never send 'menu-will-close': after this the menu counts as closed. */
export const MENU_OPEN_SAFETY_MS = 60_000;

export class TrayRefresher {
  private timer: NodeJS.Timeout | undefined;
  private openTimer: NodeJS.Timeout | undefined;
  private pending = false;
  private lastKey: string | undefined;

  constructor(
    /** Returns what the tray would show (a comparable key) and how to apply it. */
    private readonly compute: () => { key: string; apply(): void },
  ) {}

  /** Something may have changed: rebuild soon, coalesced. */
  request(): void {
    this.pending = true;
    if (this.timer || this.openTimer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, TRAY_REFRESH_DELAY_MS);
  }

  /** Rebuilds now if what the tray shows changed (unless the menu is open). */
  flush(): void {
    if (this.openTimer) {
      this.pending = true;
      return;
    }
    this.pending = false;
    const next = this.compute();
    if (next.key === this.lastKey) return;
    this.lastKey = next.key;
    next.apply();
  }

  menuOpened(): void {
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = setTimeout(() => this.menuClosed(), MENU_OPEN_SAFETY_MS);
  }

  menuClosed(): void {
    if (!this.openTimer) return;
    clearTimeout(this.openTimer);
    this.openTimer = undefined;
    if (this.pending) this.request();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.openTimer) clearTimeout(this.openTimer);
    this.timer = undefined;
    this.openTimer = undefined;
  }
}
