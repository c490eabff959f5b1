interface Entry {
  readonly id: string;
  dueAt: number;
}

/**
 * The jobs' next run times in a binary min-heap indexed by job id: the earliest is O(1), setting,
 * moving or removing a job is O(log n). The scheduler only ever looks at the top, so 10,000 jobs
 * with nothing due cost one timer and no work.
 */
export class DueQueue {
  private readonly heap: Entry[] = [];
  private readonly position = new Map<string, number>();

  get size(): number {
    return this.heap.length;
  }

  /** The earliest entry, without removing it. */
  peek(): { readonly id: string; readonly dueAt: number } | undefined {
    return this.heap[0];
  }

  dueAt(id: string): number | undefined {
    const index = this.position.get(id);
    return index === undefined ? undefined : this.heap[index]!.dueAt;
  }

  /** Adds a job or moves it to a new time. */
  set(id: string, dueAt: number): void {
    const index = this.position.get(id);
    if (index === undefined) {
      this.heap.push({ id, dueAt });
      this.position.set(id, this.heap.length - 1);
      this.up(this.heap.length - 1);
      return;
    }
    const entry = this.heap[index]!;
    const earlier = dueAt < entry.dueAt;
    entry.dueAt = dueAt;
    if (earlier) this.up(index);
    else this.down(index);
  }

  delete(id: string): boolean {
    const index = this.position.get(id);
    if (index === undefined) return false;
    const last = this.heap.pop()!;
    this.position.delete(id);
    if (index < this.heap.length) {
      this.heap[index] = last;
      this.position.set(last.id, index);
      this.down(index);
      this.up(index);
    }
    return true;
  }

  /** Removes and returns the earliest entry if it is due at `now`. */
  popDue(now: number): { readonly id: string; readonly dueAt: number } | undefined {
    const top = this.heap[0];
    if (top === undefined || top.dueAt > now) return undefined;
    this.delete(top.id);
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.dueAt < y.dueAt || (x.dueAt === y.dueAt && x.id < y.id);
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    this.heap[a] = y;
    this.heap[b] = x;
    this.position.set(y.id, a);
    this.position.set(x.id, b);
  }

  private up(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(index, parent)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(index: number): void {
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.heap.length && this.less(left, smallest)) smallest = left;
      if (right < this.heap.length && this.less(right, smallest)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }
}
