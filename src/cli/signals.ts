/**
 * SIGINT / SIGTERM during a command-line sweep. Before the reports are being kept, the run stops at
 * once (nothing has been written). While they are being kept — runs/, findings/, then the switch of
 * `latest/` — the signal waits until that step is done, so `latest/` is never left half replaced
 * (in S3, where the switch is file by file with a roll-back); then the process exits. A second
 * signal exits at once.
 *
 * Exit codes, the shell's convention: 130 after SIGINT, 143 after SIGTERM.
 */

const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** What the guard needs of `process`; tests pass a fake. */
export interface SignalHost {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): never | void;
}

export class InterruptGuard {
  private criticalDepth = 0;
  private pending: number | undefined;
  private readonly listeners: Array<['SIGINT' | 'SIGTERM', () => void]> = [];

  /** @param notify told (one line, for stderr) what happens on a signal. */
  constructor(
    private readonly host: SignalHost,
    private readonly notify: (message: string) => void = () => {},
  ) {}

  /** Starts listening for SIGINT and SIGTERM. */
  install(): this {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const listener = () => this.onSignal(signal);
      this.host.on(signal, listener);
      this.listeners.push([signal, listener]);
    }
    return this;
  }

  /** Stops listening (the default behaviour comes back). */
  uninstall(): void {
    for (const [signal, listener] of this.listeners.splice(0)) this.host.off(signal, listener);
  }

  /** Runs `work` with signals held back until it is done; a held signal then ends the process. */
  async critical<T>(work: () => Promise<T>): Promise<T> {
    this.criticalDepth++;
    try {
      return await work();
    } finally {
      this.criticalDepth--;
      if (this.criticalDepth === 0 && this.pending !== undefined) {
        this.notify('the reports are kept; stopping as asked');
        this.host.exit(this.pending);
      }
    }
  }

  private onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
    const code = SIGNAL_EXIT[signal];
    if (this.criticalDepth === 0 || this.pending !== undefined) {
      this.notify(`${signal}: stopping${this.pending !== undefined ? ' at once' : ''}`);
      this.host.exit(this.pending ?? code);
      return;
    }
    this.pending = code;
    this.notify(`${signal}: finishing writing the reports (latest/ switches whole), then stopping; send it again to stop at once`);
  }
}
