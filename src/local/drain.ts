// What close() waits for: the requests in flight, each answered by its own work or, once the wait is over, 503.

/** The requests in flight, so close() can wait for them and cut off the ones that take too long. */
export class Drain {
  closing = false;
  /** Each request's cut-off: answers it 503 now. */
  private readonly inFlight = new Set<() => void>();
  private idle: (() => void) | undefined;

  /** `work`'s answer, or `late()`'s if close() stops waiting first. */
  track(work: Promise<Response>, late: () => Response): Promise<Response> {
    return new Promise((answer, fail) => {
      const cutOff = () => answer(late());
      this.inFlight.add(cutOff);
      // A request cut off still runs on; the closed engine answers it 503, which nobody reads.
      void work.then(answer, fail).finally(() => {
        this.inFlight.delete(cutOff);
        if (this.inFlight.size === 0) this.idle?.();
      });
    });
  }

  /** Resolves when every request in flight answered, or after `timeout` ms, cutting off the rest. */
  async settled(timeout: number): Promise<void> {
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((done) => {
        this.idle = done;
        timer = setTimeout(done, timeout);
      });
      clearTimeout(timer);
    }
    for (const cutOff of this.inFlight) cutOff();
  }
}
