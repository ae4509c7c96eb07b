import type { Rag } from './timeliness';

/** One referral's journey through the hub, as the performance measures need it. */
export interface ReferralJourney {
  receivedAt: Date;
  /** Who referred (the referrer type): the source. */
  source: string;
  decisionDueAt: Date;
  /** The RAG rating set at triage; null until triaged. */
  triageRag: Rag | null;
  decision: { outcome: string; decidedAt: Date; ragAfterChecks: Rag | null } | null;
  checks: { agency: string; dueAt: Date; completedAt: Date | null }[];
  /** The children named, by `childIdentityKey`, to find repeat referrals. */
  childKeys: string[];
  /** CHILD (when not given) or ADULT_AT_RISK: the measures count them apart. */
  about?: string;
  /** The deadline for an Early Help Assessment the referral came without, and when it came. */
  earlyHelpAssessment?: { dueAt: Date; suppliedAt: Date | null } | null;
}

/** A consultation (advice without a referral), as the measures need it. */
export interface ConsultationRecord {
  askedAt: Date;
  askedByAgency: string;
  becameReferral: boolean;
}

export interface Count {
  key: string;
  count: number;
}

export interface PerformanceMeasures {
  referrals: number;
  bySource: Count[];
  decisions: {
    decided: number;
    decidedOnTime: number;
    decidedLate: number;
    undecided: number;
    undecidedOverdue: number;
    medianHoursToDecision: number | null;
  };
  checksByAgency: {
    agency: string;
    requested: number;
    completedOnTime: number;
    completedLate: number;
    outstanding: number;
    overdue: number;
  }[];
  outcomesBySource: { source: string; outcome: string; count: number }[];
  /** RAG at triage → RAG after the agency checks, for decided referrals. */
  ragChanges: { from: string; to: string; count: number }[];
  /** Referrals in the period naming a child already referred in the 12 months before. */
  repeatReferrals: number;
  referralsAbout: Count[];
  decidedAbout: Count[];
  earlyHelpAssessments: {
    due: number;
    suppliedOnTime: number;
    suppliedLate: number;
    outstanding: number;
    overdue: number;
  };
}

/** The hub's identity key for a child: NHS number, or exact name and date of birth; null if neither. */
export function childIdentityKey(child: {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
}): string | null {
  if (child.nhsNumber) return `nhs:${child.nhsNumber.replace(/\s/g, '')}`;
  if (!child.dateOfBirth) return null;
  const name = `${child.givenName.trim()}|${child.familyName.trim()}`.toLowerCase();
  return `name:${name}|${child.dateOfBirth}`;
}

/**
 * The MASH's performance over a period [from, to): the referrals received in it, measured as they
 * stand at `asOf`. `journeys` may include earlier referrals: they count only for repeat referrals.
 */
export function measurePerformance(
  journeys: ReferralJourney[],
  from: Date,
  to: Date,
  asOf: Date,
): PerformanceMeasures {
  const inPeriod = journeys.filter((j) => j.receivedAt >= from && j.receivedAt < to);
  const decided = inPeriod.filter((j) => j.decision);
  const undecided = inPeriod.filter((j) => !j.decision);
  const hoursToDecision = decided.map(
    (j) => (j.decision!.decidedAt.getTime() - j.receivedAt.getTime()) / 3_600_000,
  );

  const checks = inPeriod.flatMap((j) => j.checks);
  const assessments = inPeriod.flatMap((j) =>
    j.earlyHelpAssessment ? [j.earlyHelpAssessment] : [],
  );
  const agencies = [...new Set(checks.map((c) => c.agency))].sort();

  return {
    referrals: inPeriod.length,
    bySource: countBy(inPeriod, (j) => j.source),
    decisions: {
      decided: decided.length,
      decidedOnTime: decided.filter((j) => j.decision!.decidedAt <= j.decisionDueAt).length,
      decidedLate: decided.filter((j) => j.decision!.decidedAt > j.decisionDueAt).length,
      undecided: undecided.length,
      undecidedOverdue: undecided.filter((j) => asOf > j.decisionDueAt).length,
      medianHoursToDecision: median(hoursToDecision),
    },
    checksByAgency: agencies.map((agency) => {
      const own = checks.filter((c) => c.agency === agency);
      const outstanding = own.filter((c) => !c.completedAt);
      return {
        agency,
        requested: own.length,
        completedOnTime: own.filter((c) => c.completedAt && c.completedAt <= c.dueAt).length,
        completedLate: own.filter((c) => c.completedAt && c.completedAt > c.dueAt).length,
        outstanding: outstanding.length,
        overdue: outstanding.filter((c) => asOf > c.dueAt).length,
      };
    }),
    outcomesBySource: countBy(decided, (j) => `${j.source}\u0000${j.decision!.outcome}`).map(
      ({ key, count }) => {
        const [source, outcome] = key.split('\u0000');
        return { source, outcome, count };
      },
    ),
    ragChanges: countBy(
      decided.filter((j) => j.triageRag && j.decision!.ragAfterChecks),
      (j) => `${j.triageRag}\u0000${j.decision!.ragAfterChecks}`,
    ).map(({ key, count }) => {
      const [fromRag, toRag] = key.split('\u0000');
      return { from: fromRag, to: toRag, count };
    }),
    repeatReferrals: inPeriod.filter(repeatOf(journeys)).length,
    referralsAbout: countBy(inPeriod, aboutOf),
    decidedAbout: countBy(decided, aboutOf),
    earlyHelpAssessments: {
      due: assessments.length,
      suppliedOnTime: assessments.filter((a) => a.suppliedAt && a.suppliedAt <= a.dueAt).length,
      suppliedLate: assessments.filter((a) => a.suppliedAt && a.suppliedAt > a.dueAt).length,
      outstanding: assessments.filter((a) => !a.suppliedAt).length,
      overdue: assessments.filter((a) => !a.suppliedAt && asOf > a.dueAt).length,
    },
  };
}

const aboutOf = (journey: ReferralJourney) => journey.about ?? 'CHILD';

/** The consultations asked for in [from, to): how many, how many became referrals, by agency. */
export function measureConsultations(
  consultations: ConsultationRecord[],
  from: Date,
  to: Date,
): { received: number; becameReferrals: number; byAgency: Count[] } {
  const inPeriod = consultations.filter((c) => c.askedAt >= from && c.askedAt < to);
  return {
    received: inPeriod.length,
    becameReferrals: inPeriod.filter((c) => c.becameReferral).length,
    byAgency: countBy(inPeriod, (c) => c.askedByAgency),
  };
}

const TWELVE_MONTHS_MS = 365 * 86_400_000;

/**
 * Whether a referral names a child already referred in the 12 months before it. Each child's
 * referral dates are indexed once, so a year of a large hub's referrals is not compared pairwise.
 */
function repeatOf(journeys: ReferralJourney[]): (journey: ReferralJourney) => boolean {
  const referredAt = new Map<string, number[]>();
  for (const { childKeys, receivedAt } of journeys) {
    for (const key of childKeys) {
      const dates = referredAt.get(key) ?? [];
      dates.push(receivedAt.getTime());
      referredAt.set(key, dates);
    }
  }
  return (journey) => {
    const received = journey.receivedAt.getTime();
    return journey.childKeys.some((key) =>
      referredAt.get(key)!.some((at) => at >= received - TWELVE_MONTHS_MS && at < received),
    );
  };
}

function countBy<T>(items: T[], keyOf: (item: T) => string): Count[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return Math.round(value * 10) / 10;
}
