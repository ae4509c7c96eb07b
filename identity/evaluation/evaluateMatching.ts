import { performance } from 'node:perf_hooks';
import type { AgencyPerson } from '../../schema/agencyPerson';
import type { RecordedIdentity } from '../../synthetic/population';
import { BLOCKING_RULES, blockingKeysOf, blockingQuery, BlockingKeys } from '../blocking';
import { bestMatch, Identity, MatchModel } from '../matchIdentity';
import type { AgencyIndex } from './agencyIndexes';

/** A subject as the hub holds it (the referral's recorded identity), with the truth kept aside. */
export type EvaluatedSubject = RecordedIdentity;

export type Band = 'CERTAIN' | 'POSSIBLE';

export interface BandCounts {
  /** Matched to the right person. */
  right: number;
  /** Matched to someone else: a wrong-person match. */
  wrong: number;
}

export interface CalibrationRow {
  /** The predicted-probability range, e.g. "0.95–0.99". */
  range: string;
  matches: number;
  meanPredicted: number;
  observedRight: number;
}

export interface AgencyEvaluation {
  agency: string;
  people: number;
  subjects: number;
  /** Subjects the agency really holds a record of. */
  held: number;
  bands: Record<Band, BandCounts>;
  /** Held subjects with no match to their own record, in any band. */
  missed: number;
  /** Right ÷ all, in the certain band. */
  certainPrecision: number;
  /** Wrong-person certain matches per 10,000 certain matches. */
  certainWrongPer10k: number;
  /** Held subjects matched to the right record, certain or possible, ÷ held. */
  recall: number;
  /** Held subjects matched to the right record as certain ÷ held. */
  certainShare: number;
  /** Per band: mean predicted probability against the observed share right. */
  bandCalibration: Record<Band, { meanPredicted: number; observedRight: number }>;
  calibration: CalibrationRow[];
  candidatesPerSubject: { mean: number; p95: number; max: number };
  /** Blocking (an in-memory index of the same keys the database indexes) and scoring. */
  microsecondsPerSubject: number;
}

/** The same rule-by-rule lookup the agency check runs with `IN (...)` on its indexed key columns. */
export class InMemoryBlockingIndex {
  private readonly byRule = new Map<keyof BlockingKeys, Map<string, AgencyPerson[]>>();

  constructor(people: AgencyPerson[]) {
    for (const rule of BLOCKING_RULES) this.byRule.set(rule, new Map());
    for (const person of people) {
      const keys = blockingKeysOf(person);
      for (const rule of BLOCKING_RULES) {
        const key = keys[rule];
        if (!key) continue;
        const bucket = this.byRule.get(rule)!;
        const rows = bucket.get(key);
        if (rows) rows.push(person);
        else bucket.set(key, [person]);
      }
    }
  }

  /** The candidates for a batch of subjects: every row sharing a key value with the query. */
  candidates(subjects: Identity[]): AgencyPerson[] {
    const query = blockingQuery(subjects);
    const found = new Map<string, AgencyPerson>();
    for (const rule of BLOCKING_RULES) {
      const bucket = this.byRule.get(rule)!;
      for (const value of query[rule]) {
        for (const person of bucket.get(value) ?? []) found.set(person.id, person);
      }
    }
    return [...found.values()];
  }
}

const CALIBRATION_EDGES = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.0001];

/** Runs one agency's matching for every subject and scores it against the truth. */
export function evaluateAgency(
  index: AgencyIndex,
  subjects: EvaluatedSubject[],
  model?: MatchModel,
): AgencyEvaluation {
  const blocking = new InMemoryBlockingIndex(index.people);
  const heldKeys = new Set(index.personKeyOf.values());
  const bands: Record<Band, BandCounts> = {
    CERTAIN: { right: 0, wrong: 0 },
    POSSIBLE: { right: 0, wrong: 0 },
  };
  const predicted: { probability: number; right: boolean; band: Band }[] = [];
  const candidateCounts: number[] = [];
  let held = 0;
  let found = 0;
  let certainRight = 0;

  const started = performance.now();
  for (const subject of subjects) {
    const identity: Identity = {
      givenName: subject.givenName,
      familyName: subject.familyName,
      dateOfBirth: subject.dateOfBirth,
      sex: subject.sex,
      postcode: subject.postcode,
      nhsNumber: subject.nhsNumber,
    };
    const candidates = blocking.candidates([identity]);
    candidateCounts.push(candidates.length);
    const best = bestMatch(identity, candidates, model);
    const isHeld = heldKeys.has(subject.personKey);
    if (isHeld) held += 1;
    if (!best) continue;
    const band: Band = best.match.needsVerification ? 'POSSIBLE' : 'CERTAIN';
    const right = index.personKeyOf.get(best.record.id) === subject.personKey;
    bands[band][right ? 'right' : 'wrong'] += 1;
    predicted.push({ probability: best.match.confidence, right, band });
    if (right) {
      found += 1;
      if (band === 'CERTAIN') certainRight += 1;
    }
  }
  const elapsedMs = performance.now() - started;

  const certainTotal = bands.CERTAIN.right + bands.CERTAIN.wrong;
  const sortedCounts = [...candidateCounts].sort((a, b) => a - b);
  return {
    agency: index.agency,
    people: index.people.length,
    subjects: subjects.length,
    held,
    bands,
    missed: held - found,
    certainPrecision: ratio(bands.CERTAIN.right, certainTotal),
    certainWrongPer10k: ratio(bands.CERTAIN.wrong * 10_000, certainTotal),
    recall: ratio(found, held),
    certainShare: ratio(certainRight, held),
    bandCalibration: {
      CERTAIN: calibrationOf(predicted.filter((p) => p.band === 'CERTAIN')),
      POSSIBLE: calibrationOf(predicted.filter((p) => p.band === 'POSSIBLE')),
    },
    calibration: CALIBRATION_EDGES.slice(0, -1).map((low, i) => {
      const high = CALIBRATION_EDGES[i + 1];
      const inRange = predicted.filter((p) => p.probability >= low && p.probability < high);
      return {
        range: `${low.toFixed(2)}–${Math.min(high, 1).toFixed(2)}`,
        matches: inRange.length,
        ...calibrationOf(inRange),
      };
    }),
    candidatesPerSubject: {
      mean: ratio(
        candidateCounts.reduce((a, b) => a + b, 0),
        candidateCounts.length,
      ),
      p95: sortedCounts[Math.floor(sortedCounts.length * 0.95)] ?? 0,
      max: sortedCounts[sortedCounts.length - 1] ?? 0,
    },
    microsecondsPerSubject: ratio(elapsedMs * 1000, subjects.length),
  };
}

function calibrationOf(rows: { probability: number; right: boolean }[]) {
  return {
    meanPredicted: ratio(
      rows.reduce((sum, r) => sum + r.probability, 0),
      rows.length,
    ),
    observedRight: ratio(rows.filter((r) => r.right).length, rows.length),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
