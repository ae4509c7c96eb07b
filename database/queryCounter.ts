import { AbstractLogger, LogLevel, LogMessage } from 'typeorm';

/**
 * Counts the SQL statements a DataSource runs. The tests and the benchmark use it to prove that a
 * case's agency check costs the same number of queries whatever the size of the household
 * (DataLoader batching), and it logs query errors.
 */
export class QueryCounter extends AbstractLogger {
  count = 0;

  override logQuery(): void {
    this.count += 1;
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    if (level === 'error' || level === 'warn') {
      for (const m of Array.isArray(message) ? message : [message])
        console.error(`[db] ${m.message}`);
    }
  }
}
