/**
 * A sweep's progress on stderr (SPEC §6: progress and logs on stderr). On a terminal, one line
 * redrawn in place: done/total, the rate, the time elapsed and the time left. Without a terminal
 * (a CI log, a pipe) nothing is redrawn: one line every `everySeconds`, so a log shows that a long
 * sweep is alive without filling up.
 */

export interface ProgressOptions {
  write: (text: string) => void;
  terminal: boolean;
  /** Without a terminal: seconds between two lines. */
  everySeconds: number;
  /** Milliseconds from any fixed origin (performance.now in the CLI; tests pass their own). */
  now: () => number;
}

/** "1:05", "1:02:05": the time elapsed or left, in whole seconds. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** What one progress line says: "120/2,000 accounts, 9.8/s, 0:12 elapsed, ETA 3:00". */
export function progressText(done: number, total: number, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  const left = rate > 0 ? (total - done) / rate : undefined;
  const count = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} account${total === 1 ? '' : 's'}`;
  const eta = done >= total ? 'done' : left === undefined ? 'ETA unknown' : `ETA ${clock(left)}`;
  return `${count}, ${rate.toFixed(1)}/s, ${clock(seconds)} elapsed, ${eta}`;
}

/**
 * Tracks a sweep's progress: `update` after each account, `tick` on a timer (the lines without a
 * terminal, and a sign of life while the organization is still being listed), `finish` at the end.
 */
export class Progress {
  private readonly started: number;
  private done = 0;
  private total: number | undefined;
  private lastLine = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.started = options.now();
  }

  update = (done: number, total: number): void => {
    this.done = done;
    this.total = total;
    if (this.options.terminal) this.draw();
    else if (done === total) this.line();
  };

  /** The timer's turn: a line without a terminal once `everySeconds` have passed since the last. */
  tick(): void {
    if (this.options.terminal) return;
    if (this.options.now() - this.lastLine >= this.options.everySeconds * 1000) this.line();
  }

  /** Ends the redrawn line, so what follows starts on a line of its own. */
  finish(): void {
    if (this.drawn) this.options.write('\n');
    this.drawn = false;
  }

  private text(): string {
    const elapsed = this.options.now() - this.started;
    if (this.total === undefined) return `reading the organization, ${clock(elapsed / 1000)} elapsed`;
    return progressText(this.done, this.total, elapsed);
  }

  private draw(): void {
    // \r and "erase to end of line" (ECMA-48 EL): a shorter line leaves nothing of the longer one.
    this.options.write(`\r\u001b[K${this.text()}`);
    this.drawn = true;
  }

  private line(): void {
    this.lastLine = this.options.now();
    this.options.write(`progress: ${this.text()}\n`);
  }
}
