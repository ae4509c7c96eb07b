import pino, { Logger } from 'pino';

/**
 * The structured log every service writes: one JSON object per line on standard output, for the
 * platform's log collector. What goes in is chosen field by field at each call (ids, roles, codes,
 * outcomes, timings): never a name, a date of birth, an NHS number, an address or a record, and
 * never an error object as it is (a database error carries the query's parameters).
 *
 * LOG_LEVEL sets the level (default `info`; `silent` under jest, which sets NODE_ENV=test, unless
 * a test asks for the lines with `captureLogs`).
 */
const options = (level: string) => ({
  level,
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  // Only the fields each call names are written; these keys never are, whoever adds them.
  redact: { paths: ['err', 'error', 'body', 'variables', 'headers', 'req', 'res'], remove: true },
});

let root: Logger = pino(
  options(process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info')),
);

/** The log of one service (`gateway`, `police` …): every line carries its name. */
export function serviceLog(service: string): Logger {
  return root.child({ service });
}

/**
 * Every log line written from now on, as parsed objects, until `stop` (tests: what an operator's
 * collector would receive). The level is `debug`, so nothing written at any level escapes the scan.
 */
export function captureLogs(): { lines: Record<string, unknown>[]; text: string[]; stop(): void } {
  const previous = root;
  const captured = { lines: [] as Record<string, unknown>[], text: [] as string[] };
  root = pino(options('debug'), {
    write(line: string) {
      captured.text.push(line);
      captured.lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return {
    ...captured,
    stop() {
      root = previous;
    },
  };
}
