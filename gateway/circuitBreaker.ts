import CircuitBreaker from 'opossum';
import type { CircuitSettings } from './agencyResilience';
import { CircuitState, recordCircuitState } from './metrics';
import { serviceLog } from '../service/logger';

/**
 * One subgraph's circuit (opossum): while it is open, fetches fail at once instead of each waiting
 * out the deadline of an agency known to be down; after `resetMs` one probe is let through
 * (half-open), and its success closes the circuit again.
 */
export class SubgraphCircuit {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private openedAt: Date | null = null;

  constructor(
    readonly subgraph: string,
    readonly settings: CircuitSettings,
    /** Failures that say nothing about the agency's health (a client's own mistake) do not count. */
    countsAsFailure: (error: unknown) => boolean,
  ) {
    this.breaker = new CircuitBreaker((run: () => Promise<unknown>) => run(), {
      // Each attempt has its own deadline (an aborted fetch); opossum's would leave it running.
      timeout: false,
      volumeThreshold: settings.minRequests,
      errorThresholdPercentage: settings.errorPercent,
      rollingCountTimeout: settings.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: settings.resetMs,
      errorFilter: (error: unknown) => !countsAsFailure(error),
    });
    const log = serviceLog('gateway');
    const changed = (state: CircuitState) => {
      recordCircuitState(subgraph, state);
      log.warn({ subgraph, circuit: state }, `circuit of ${subgraph} ${state.replace('_', '-')}`);
    };
    this.breaker.on('open', () => {
      this.openedAt = new Date();
      changed('open');
    });
    this.breaker.on('halfOpen', () => changed('half_open'));
    this.breaker.on('close', () => {
      this.openedAt = null;
      changed('closed');
    });
    recordCircuitState(subgraph, 'closed');
  }

  /** `work` through the circuit; rejects with a `CircuitOpen` while the circuit is open. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(work)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw new CircuitOpen(this.openedAt ?? new Date(), this.settings.resetMs);
      }
      throw error;
    }
  }

  get state(): CircuitState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  /** Stops the circuit's counting timers. */
  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** The circuit is open: the agency was not asked. */
export class CircuitOpen extends Error {
  constructor(
    readonly since: Date,
    resetMs: number,
  ) {
    super(
      `Circuit open since ${since.toISOString()} after repeated failures: not asked again before ${new Date(since.getTime() + resetMs).toISOString()}.`,
    );
    this.name = 'CircuitOpen';
  }
}
