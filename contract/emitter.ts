/**
 * The one typed event emitter every layer uses (engine parts, the application service, the
 * dashboard's clients). A listener that throws is reported and never stops the others, nor the
 * code that emitted.
 */
export type Listener<T> = (value: T) => void;

export class Emitter<T = void> {
  private readonly listeners = new Set<Listener<T>>();

  constructor(
    /** Where a throwing listener is reported (default: console.error). */
    private readonly onListenerError: (error: unknown) => void = (error) =>
      console.error('A listener failed:', error),
  ) {}

  /** Adds a listener; the returned function removes it. */
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }
}
