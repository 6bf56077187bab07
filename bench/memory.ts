/**
 * Peak memory of the current process. RSS comes from the kernel's own peak (getrusage maxrss), so
 * no spike between samples is missed; heap is sampled every 10 ms, the best Node offers.
 */
export interface MemoryPeak {
  /** Peak resident set size of the process, MB (everything: code, heap, buffers). */
  peakRssMb: number;
  /** Highest V8 heapUsed seen, MB. */
  peakHeapUsedMb: number;
  /** RSS and heapUsed when sampling started (after imports), MB. */
  startRssMb: number;
  startHeapUsedMb: number;
}

const MB = 1024 * 1024;
const round = (mb: number): number => Math.round(mb * 10) / 10;

export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  private peakHeap = 0;
  private startRss = 0;
  private startHeap = 0;

  start(): void {
    const now = process.memoryUsage();
    this.startRss = now.rss;
    this.startHeap = now.heapUsed;
    this.peakHeap = now.heapUsed;
    this.timer = setInterval(() => {
      this.peakHeap = Math.max(this.peakHeap, process.memoryUsage().heapUsed);
    }, 10);
    this.timer.unref();
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.peakHeap = Math.max(this.peakHeap, process.memoryUsage().heapUsed);
    return {
      // maxRSS is in kilobytes.
      peakRssMb: round((process.resourceUsage().maxRSS * 1024) / MB),
      peakHeapUsedMb: round(this.peakHeap / MB),
      startRssMb: round(this.startRss / MB),
      startHeapUsedMb: round(this.startHeap / MB),
    };
  }
}
