import PQueue from 'p-queue';

/**
 * Keyed work queue on p-queue: the "stingy" guarantee from client-go's workqueue. A store is never
 * reconciled twice at once; enqueuing a queued store is a no-op; enqueuing a running store runs it
 * once more afterwards.
 */
export class ReconcileQueue {
  /** Queued, not started, in FIFO order (a Set keeps insertion order). */
  readonly #pending = new Set<string>();
  readonly #running = new Set<string>();
  /** Enqueued while running: run once more afterwards. */
  readonly #dirty = new Set<string>();
  readonly #pool: PQueue;
  readonly #reconcile: (id: string) => Promise<void>;
  readonly #onError: (id: string, err: unknown) => void;
  #closed = false;

  public constructor(
    reconcile: (id: string) => Promise<void>,
    concurrency: number,
    onError: (id: string, err: unknown) => void = () => {},
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.#reconcile = reconcile;
    this.#onError = onError;
    this.#pool = new PQueue({ concurrency });
  }

  public enqueue(id: string): void {
    if (this.#closed) return;
    if (this.#running.has(id)) {
      this.#dirty.add(id);
      return;
    }
    if (this.#pending.has(id)) return;
    this.#pending.add(id);
    void this.#pool.add(() => this.#run(id));
  }

  /** Stores waiting for a worker (running ones excluded). */
  public depth(): number {
    return this.#pending.size;
  }

  /** Stores being reconciled right now. */
  public active(): number {
    return this.#running.size;
  }

  /** 1-based place in line; 0 while running; undefined when not queued. */
  public position(id: string): number | undefined {
    if (this.#running.has(id)) return 0;
    let i = 0;
    for (const key of this.#pending) {
      i++;
      if (key === id) return i;
    }
    return undefined;
  }

  public isRunning(id: string): boolean {
    return this.#running.has(id);
  }

  /** Stops taking work: queued stores are dropped (crash recovery picks them up on the next start). */
  public close(): void {
    this.#closed = true;
    this.#pool.clear();
    this.#pending.clear();
    this.#dirty.clear();
  }

  /** Resolves when nothing is running or queued. */
  public async idle(): Promise<void> {
    await this.#pool.onIdle();
  }

  async #run(id: string): Promise<void> {
    if (!this.#pending.delete(id)) return; // dropped by close()
    this.#running.add(id);
    try {
      await this.#reconcile(id);
    } catch (err) {
      this.#onError(id, err); // reconcile owns its errors; this is the last line of defence
    } finally {
      this.#running.delete(id);
      if (this.#dirty.delete(id)) this.enqueue(id);
    }
  }
}
