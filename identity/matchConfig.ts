/**
 * The decisions matching leaves to configuration: where the bands start, and the prior. Read once
 * from the environment when a process starts; a bad value stops it with a message saying which.
 *
 * - `certainProbability` (`MATCH_CERTAIN_PROBABILITY`, default 0.99): from this match probability
 *   a match is CERTAIN and its records are shared as the policies allow.
 * - `possibleProbability` (`MATCH_POSSIBLE_PROBABILITY`, default 0.1): from this a match is
 *   POSSIBLE: identity only, until a person confirms it. Below it, no match.
 * - `presence` (`MATCH_PRESENCE`, default 0.5): the share of referred subjects an agency is expected
 *   to hold a record on. The prior that one pair (subject, record) is a match is `presence / total`
 *   records the agency holds (λ in Fellegi–Sunter terms).
 */
export interface MatchConfig {
  certainProbability: number;
  possibleProbability: number;
  presence: number;
}

export const DEFAULT_MATCH_CONFIG: MatchConfig = {
  certainProbability: 0.99,
  possibleProbability: 0.1,
  presence: 0.5,
};

const VARIABLES: Record<keyof MatchConfig, string> = {
  certainProbability: 'MATCH_CERTAIN_PROBABILITY',
  possibleProbability: 'MATCH_POSSIBLE_PROBABILITY',
  presence: 'MATCH_PRESENCE',
};

export class MatchConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatchConfigError';
  }
}

/** The configuration from environment variables, each falling back to its default. */
export function loadMatchConfig(env: NodeJS.ProcessEnv = process.env): MatchConfig {
  const config = { ...DEFAULT_MATCH_CONFIG };
  for (const key of Object.keys(VARIABLES) as (keyof MatchConfig)[]) {
    const raw = env[VARIABLES[key]];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || value >= 1) {
      throw new MatchConfigError(
        `${VARIABLES[key]} must be a probability strictly between 0 and 1, got "${raw}"`,
      );
    }
    config[key] = value;
  }
  return validateMatchConfig(config);
}

export function validateMatchConfig(config: MatchConfig): MatchConfig {
  for (const key of Object.keys(VARIABLES) as (keyof MatchConfig)[]) {
    const value = config[key];
    if (!Number.isFinite(value) || value <= 0 || value >= 1) {
      throw new MatchConfigError(
        `${VARIABLES[key]} must be a probability strictly between 0 and 1, got "${value}"`,
      );
    }
  }
  if (config.possibleProbability >= config.certainProbability) {
    throw new MatchConfigError(
      `MATCH_POSSIBLE_PROBABILITY (${config.possibleProbability}) must be below ` +
        `MATCH_CERTAIN_PROBABILITY (${config.certainProbability})`,
    );
  }
  return config;
}

export const MATCH_CONFIG: MatchConfig = loadMatchConfig();
