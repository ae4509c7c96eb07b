import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * Counts the SQL statements a DataSource runs. The tests and the benchmark use it to prove that a
 * case's agency check costs the same number of queries whatever the size of the household
 * (DataLoader batching), it keeps the last statements so tests can check their plans use
 * indexes, and it logs query errors.
 */
export class QueryCounter extends AbstractLogger {
  count = 0;
  /** The last statements run, with their parameters, for the tests that EXPLAIN them. */
  recent: { query: string; parameters: unknown[] }[] = [];

  override logQuery(query: string, parameters?: unknown[] | object): void {
    this.count += 1;
    this.recent.push({ query, parameters: Array.isArray(parameters) ? parameters : [] });
    if (this.recent.length > 200) this.recent.shift();
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    if (level === 'error' || level === 'warn') {
      for (const m of Array.isArray(message) ? message : [message])
        console.error(`[db] ${m.message}`);
    }
  }
}
