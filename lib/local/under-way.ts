// Work still pending, so whoever closes down can wait for all of it. A failed branch of a Parallel
// state ends the execution while its sibling branches' tasks and queries still run (their results
// are dropped): the local runner and the Athena emulator wait for them before removing anything.
export class UnderWay {
  private readonly pending = new Set<Promise<unknown>>();

  /** Keeps `work` until it settles; returns it as it is. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => void this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once everything tracked so far has settled, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
