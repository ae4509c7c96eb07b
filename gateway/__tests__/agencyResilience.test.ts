import { DEFAULT_CIRCUIT, resilienceFromEnvironment, timeoutVariable } from '../agencyResilience';

const SUBGRAPHS = ['mash', 'social-care', 'police'];

describe('resilienceFromEnvironment', () => {
  it('gives every subgraph the common deadline, retries reads and the default circuit', () => {
    const settings = resilienceFromEnvironment(SUBGRAPHS, 5000, {});
    for (const name of SUBGRAPHS)
      expect(settings[name]).toEqual({
        timeoutMs: 5000,
        retryReads: true,
        circuit: DEFAULT_CIRCUIT,
      });
  });

  it("takes one subgraph's own deadline from SUBGRAPH_TIMEOUT_MS_<NAME>, the others keeping theirs", () => {
    expect(timeoutVariable('social-care')).toBe('SUBGRAPH_TIMEOUT_MS_SOCIAL_CARE');
    const settings = resilienceFromEnvironment(SUBGRAPHS, 5000, {
      SUBGRAPH_TIMEOUT_MS_SOCIAL_CARE: '800',
      SUBGRAPH_RETRY_READS: 'false',
      CIRCUIT_MIN_REQUESTS: '3',
      CIRCUIT_ERROR_PERCENT: '25',
      CIRCUIT_WINDOW_MS: '60000',
      CIRCUIT_RESET_MS: '5000',
    });
    expect(settings['social-care'].timeoutMs).toBe(800);
    expect(settings.police.timeoutMs).toBe(5000);
    expect(settings.police).toMatchObject({
      retryReads: false,
      circuit: { minRequests: 3, errorPercent: 25, windowMs: 60_000, resetMs: 5000 },
    });
  });

  it('names every bad setting in one message, and a per-subgraph name that is no subgraph', () => {
    const attempt = () =>
      resilienceFromEnvironment(SUBGRAPHS, 5000, {
        SUBGRAPH_TIMEOUT_MS_POLICE: '0',
        SUBGRAPH_TIMEOUT_MS_POLISE: '300',
        SUBGRAPH_RETRY_READS: 'yes',
        CIRCUIT_ERROR_PERCENT: '100',
        CIRCUIT_RESET_MS: 'soon',
      });
    expect(attempt).toThrow(
      'SUBGRAPH_TIMEOUT_MS_POLICE must be a whole number from 1 to 120000 (got "0").',
    );
    expect(attempt).toThrow(
      'SUBGRAPH_TIMEOUT_MS_POLISE names no subgraph: use one of SUBGRAPH_TIMEOUT_MS_MASH, SUBGRAPH_TIMEOUT_MS_SOCIAL_CARE, SUBGRAPH_TIMEOUT_MS_POLICE, or SUBGRAPH_TIMEOUT_MS for all.',
    );
    expect(attempt).toThrow('SUBGRAPH_RETRY_READS must be true or false (got "yes").');
    expect(attempt).toThrow(
      'CIRCUIT_ERROR_PERCENT must be a whole number from 0 to 99 (got "100").',
    );
    expect(attempt).toThrow(
      'CIRCUIT_RESET_MS must be a whole number from 10 to 3600000 (got "soon").',
    );
  });
});
