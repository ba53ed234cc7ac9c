// The timed simulator's one queue of events, ordered by simulated time: a binary heap. Events due at
// the same moment leave in the order they were scheduled, so a run is a function of its seed alone.
// A cancelled event stays in the heap and is skipped when it comes up (cancelling is then O(1)).

export interface SimEvent {
  /** Simulated milliseconds. */
  readonly at: number
  /** Scheduling order: breaks ties between events due at the same moment. */
  readonly seq: number
  readonly run: () => void
  cancelled: boolean
}

export class EventQueue {
  readonly #heap: SimEvent[] = []
  #seq = 0

  /** Events waiting, cancelled ones included. */
  get size(): number {
    return this.#heap.length
  }

  push(at: number, run: () => void): SimEvent {
    if (!Number.isFinite(at)) throw new RangeError(`an event needs a finite time, got ${at}`)
    const event: SimEvent = { at, seq: this.#seq++, run, cancelled: false }
    const heap = this.#heap
    heap.push(event)
    let child = heap.length - 1
    while (child > 0) {
      const parent = (child - 1) >> 1
      if (!earlier(event, heap[parent]!)) break
      heap[child] = heap[parent]!
      child = parent
    }
    heap[child] = event
    return event
  }

  /** The next event that is not cancelled, left in the queue. */
  peek(): SimEvent | undefined {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#removeTop()
    return this.#heap[0]
  }

  /** Takes the next event that is not cancelled. */
  pop(): SimEvent | undefined {
    const top = this.peek()
    if (top) this.#removeTop()
    return top
  }

  #removeTop(): void {
    const heap = this.#heap
    const last = heap.pop()!
    if (heap.length === 0) return
    // Sift the last event down from the root.
    let parent = 0
    for (;;) {
      const left = 2 * parent + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left
      if (!earlier(heap[child]!, last)) break
      heap[parent] = heap[child]!
      parent = child
    }
    heap[parent] = last
  }
}

function earlier(a: SimEvent, b: SimEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}
