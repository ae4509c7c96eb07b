import { EventEmitter } from 'node:events';
import { PGlite } from '@electric-sql/pglite';

/**
 * An in-process PostgreSQL (PGlite, WASM) shared by the services of one process, presented to
 * TypeORM's `postgres` driver as a `pg`-style module (`{ Pool }`).
 *
 * Why not `typeorm-pglite`: it keeps one process-wide instance with no connection exclusivity, so a
 * `BEGIN` from one agency's DataSource interleaves with another's queries, and closing one
 * DataSource closes them all. Here a pool's `connect` takes the instance exclusively until the
 * TypeORM query runner releases it, which keeps transactions whole; `end` closes nothing shared.
 */
export class EmbeddedPostgres {
  private queue: Promise<void> = Promise.resolve();

  private constructor(readonly pglite: PGlite) {}

  /** In memory, or in `dataDir` on disk, where it outlives the process (the audit store). */
  static async start(dataDir?: string): Promise<EmbeddedPostgres> {
    return new EmbeddedPostgres(await PGlite.create(dataDir ? { dataDir } : {}));
  }

  /** Waits for exclusive use of the instance; the returned function gives it back. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => held);
    await previous;
    return release;
  }

  /** A `pg`-compatible driver module for TypeORM's `driver` option. */
  driverModule(): { Pool: new () => EventEmitter } {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the Pool class closes over the instance
    const database = this;
    class Pool extends EventEmitter {
      connect(
        callback: (err: Error | null, client: EmbeddedClient | null, release: () => void) => void,
      ) {
        database.acquire().then(
          (release) => callback(null, new EmbeddedClient(database.pglite), release),
          (err: Error) => callback(err, null, () => undefined),
        );
      }
      end(callback: (err: Error | null) => void) {
        callback(null);
      }
    }
    return { Pool };
  }

  async close(): Promise<void> {
    await this.pglite.close();
  }
}

interface QueryResult {
  rows: unknown[];
  rowCount: number;
}
type Callback = (err: Error | null, result: QueryResult | null) => void;

/** One TypeORM connection: answers in the shape `pg` does (`rows`, `rowCount`). */
class EmbeddedClient extends EventEmitter {
  constructor(private readonly pglite: PGlite) {
    super();
  }

  /** Answers both ways TypeORM calls `pg`: `query(sql, params)` → promise, or with a callback. */
  query(sql: string, parametersOrCallback?: unknown[] | Callback, callback?: Callback) {
    const parameters = Array.isArray(parametersOrCallback) ? parametersOrCallback : undefined;
    const done = typeof parametersOrCallback === 'function' ? parametersOrCallback : callback;
    const result = this.run(sql, parameters);
    if (done)
      result.then(
        (r) => done(null, r),
        (e: Error) => done(e, null),
      );
    return result;
  }

  private async run(sql: string, parameters?: unknown[]): Promise<QueryResult> {
    if (parameters && parameters.length > 0) {
      const result = await this.pglite.query(sql, parameters);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    }
    // Without parameters TypeORM may send several statements at once; it expects the last result.
    const results = await this.pglite.exec(sql);
    const last = results[results.length - 1];
    return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
  }
}
