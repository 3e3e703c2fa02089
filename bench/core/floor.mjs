// The floor: the least a scheduler can do. Fixed-period jobs in one binary heap ordered by due
// time, one timer armed for the earliest, due times advanced canonically (due + period, never
// now + period). No validation, no persistence, no events: whatever a real scheduler costs
// above this is the price of its features.
export class FloorScheduler {
  #heap = []; // { due, period, fn }
  #timer = undefined;
  #armedFor = Number.POSITIVE_INFINITY;

  /** Adds `fn` every `periodMs`, first at `firstAt` (epoch ms; default one period from now). */
  add(periodMs, fn, firstAt = Date.now() + periodMs) {
    const job = { due: firstAt, period: periodMs, fn };
    this.#push(job);
    if (job.due < this.#armedFor) this.#arm();
    return job;
  }

  stop() {
    clearTimeout(this.#timer);
    this.#heap = [];
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  #arm() {
    clearTimeout(this.#timer);
    const first = this.#heap[0];
    if (first === undefined) return;
    this.#armedFor = first.due;
    // setTimeout can fire up to 1 ms early; #tick re-checks and re-arms.
    this.#timer = setTimeout(
      () => this.#tick(),
      Math.min(Math.max(first.due - Date.now(), 0), 2 ** 31 - 1),
    );
  }

  #tick() {
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = Date.now();
    while (this.#heap.length > 0 && this.#heap[0].due <= now) {
      const job = this.#heap[0];
      job.fn(job.due);
      job.due += job.period;
      this.#siftDown(0);
    }
    this.#arm();
  }

  #push(job) {
    const heap = this.#heap;
    heap.push(job);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].due <= job.due) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = job;
  }

  #siftDown(i) {
    const heap = this.#heap;
    const job = heap[i];
    const n = heap.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1].due < heap[child].due) child += 1;
      if (heap[child].due >= job.due) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = job;
  }
}
