import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import {
  ageOn,
  CaseStudy,
  daysBefore,
  isoDate,
  agencyIdentity,
  REFERENCE_DATE,
  SyntheticFamily,
  SyntheticPerson,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  Exclusion,
  ExclusionKind,
  Pupil,
  SchoolConcernAction,
  SchoolConcernKind,
  SchoolConcernLoggedBy,
  SchoolSafeguardingConcern,
  SenStatus,
  TermAttendance,
} from './entities';

/** Schools rarely hold NHS numbers; admissions forms carry nicknames and old addresses. */
const EDUCATION_HABITS = { nhsNumberKnown: 0, error: 0.1, oldAddress: 0.2 };
const SCHOOLS = {
  primary: ['St Anne’s CE Primary', 'Oakfield Primary', 'Hillside Infant and Junior'],
  secondary: ['Northgate Academy', 'Riverside High School'],
};
const TERMS: [string, string][] = [
  ['2025/26 Summer', '2026-07-22'],
  ['2025/26 Spring', '2026-03-27'],
  ['2025/26 Autumn', '2025-12-19'],
];

/**
 * Custodian release: an exclusion for an assault on another pupil is about a child who is not the
 * subject (the victim, their family's complaint); education's own MASH member (the designated
 * safeguarding lead's link) releases its reason case by case.
 */
const ASSAULT_ON_A_PUPIL = 'Physical assault against a pupil';

export async function seedEducation(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const pupils: Pupil[] = [];
  const attendance: Omit<TermAttendance, 'id'>[] = [];
  const exclusions: StoredRecord<Exclusion>[] = [];
  const concerns: Omit<SchoolSafeguardingConcern, 'id' | 'updatedAt'>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('education', family.familyKey);
    // Its own stream, so the concerns do not shift the pupils' identities and attendance.
    const concernRandom = new Random('education-concerns', family.familyKey);
    for (const child of family.members) {
      const age = ageOn(child.dateOfBirth);
      if (age < 4 || age > 16) continue;
      const identity = agencyIdentity(child, random, EDUCATION_HABITS);
      const pupilId = stableUuid('education', child.personKey);
      // A case study's children are at school, where the school sees what the story needs it to.
      const inCaseStudy = family.caseStudy?.children.includes(child.personKey) ?? false;
      const homeEducated = random.chance(0.03) && !inCaseStudy;
      const missing =
        !homeEducated && random.chance(family.concern === 'NEGLECT' ? 0.15 : 0.01) && !inCaseStudy;
      pupils.push({
        id: pupilId,
        ...withBlockingKeys(identity),
        school:
          homeEducated || missing
            ? null
            : random.pick(age < 11 ? SCHOOLS.primary : SCHOOLS.secondary),
        senStatus: random.chance(0.03)
          ? SenStatus.EHCP
          : random.chance(0.12)
            ? SenStatus.SEN_SUPPORT
            : SenStatus.NONE,
        electiveHomeEducationSince: homeEducated
          ? isoDate(daysBefore(REFERENCE_DATE, random.int(30, 500)))
          : null,
        missingEducationSince: missing
          ? isoDate(daysBefore(REFERENCE_DATE, random.int(10, 120)))
          : null,
      });
      const [low, high] = family.concern === 'NEGLECT' ? [62, 86] : [88, 100];
      const separatedOn =
        inCaseStudy && family.caseStudy!.kind === 'SEPARATION_ATTENDANCE'
          ? family.caseStudy!.separatedOn
          : null;
      for (const [term, termEnded] of TERMS) {
        // Drawn for every pupil, so a case study does not shift the family's later draws.
        const drawn = random.int(low * 10, high * 10) / 10;
        attendance.push({
          pupilId,
          term,
          termEnded,
          attendancePercent: separatedOn
            ? attendanceAroundSeparation(termEnded, separatedOn, concernRandom)
            : drawn,
        });
      }
      if (!homeEducated && !missing) {
        for (const concern of safeguardingConcerns(family, child, concernRandom))
          concerns.push({ pupilId, ...concern });
      }
      if (age >= 11 && random.chance(family.concern === 'NONE' ? 0.05 : 0.25)) {
        const permanent = random.chance(0.1);
        const exclusion = {
          pupilId,
          kind: permanent ? ExclusionKind.PERMANENT_EXCLUSION : ExclusionKind.SUSPENSION,
          startDate: isoDate(daysBefore(REFERENCE_DATE, random.int(20, 400))),
          days: permanent ? null : random.int(1, 5),
          reason: random.pick([
            'Persistent disruptive behaviour',
            ASSAULT_ON_A_PUPIL,
            'Verbal abuse of an adult',
          ]),
        };
        exclusions.push({
          ...exclusion,
          requiresCustodianRelease: exclusion.reason === ASSAULT_ON_A_PUPIL,
        });
      }
    }
  }
  await insertInChunks(dataSource, Pupil, pupils);
  await insertInChunks(dataSource, TermAttendance, attendance as TermAttendance[]);
  await insertInChunks(dataSource, Exclusion, exclusions as Exclusion[]);
  await insertInChunks(
    dataSource,
    SchoolSafeguardingConcern,
    concerns as SchoolSafeguardingConcern[],
  );
}

/**
 * The separated parents' pupil: attending well in the terms before the separation, then less in
 * each term after it (the published case study's pattern the hub should notice).
 */
function attendanceAroundSeparation(termEnded: string, separatedOn: string, random: Random) {
  const termsSince = TERMS.filter(([, ended]) => ended > separatedOn && ended <= termEnded).length;
  if (termsSince === 0) return random.int(930, 990) / 10;
  return random.int(880 - 100 * termsSince, 920 - 100 * termsSince) / 10;
}

type ConcernRecord = Omit<SchoolSafeguardingConcern, 'id' | 'pupilId' | 'updatedAt'>;

const CONCERN_SUMMARIES: Record<SchoolConcernKind, string[]> = {
  INJURY_SEEN: [
    'Bruising to the upper arm seen while changing for PE; said they fell over at home.',
    'Small mark on the cheek; said a sibling did it. Body map completed.',
  ],
  BEHAVIOUR: [
    'Aggressive towards peers at lunchtime; very tired and tearful afterwards.',
    'Withdrawn in class, startles at raised voices; hiding under the table in a lesson.',
  ],
  DISCLOSURE: [
    'Told the class teacher that the adults at home shout and hit each other at night.',
    'Said there was no food at home over the weekend and mum sleeps all day.',
  ],
  NEGLECT_INDICATORS: [
    'Arrives hungry most mornings; uniform unwashed; head lice not treated.',
    'Repeatedly collected late and not dressed for the weather.',
  ],
  ATTENDANCE: [
    'Attendance falling; several unexplained absences and late arrivals this term.',
    'Absent for a week with no contact from home; home visit made.',
  ],
  EMOTIONAL_WELLBEING: [
    'Low mood and anxiety; says they worry about a parent at home.',
    'Caring for a parent in the mornings; tired and anxious in class.',
  ],
};

/** What a school's DSL may have logged about a pupil, by the family's story; most pupils: nothing. */
function safeguardingConcerns(
  family: SyntheticFamily,
  child: SyntheticPerson,
  random: Random,
): ConcernRecord[] {
  const concern = (
    kind: SchoolConcernKind,
    daysAgo: number,
    actionTaken: SchoolConcernAction = random.pick(ROUTINE_ACTIONS),
  ): ConcernRecord => ({
    kind,
    loggedOn: isoDate(daysBefore(REFERENCE_DATE, daysAgo)),
    loggedBy: random.chance(0.8)
      ? SchoolConcernLoggedBy.DESIGNATED_SAFEGUARDING_LEAD
      : SchoolConcernLoggedBy.DEPUTY_DESIGNATED_SAFEGUARDING_LEAD,
    actionTaken,
    summary: random.pick(CONCERN_SUMMARIES[kind]),
  });
  const study = family.caseStudy;
  if (study?.children.includes(child.personKey)) return caseStudyConcerns(study, concern, random);
  const logged: ConcernRecord[] = [];
  const perhaps = (probability: number, kind: SchoolConcernKind) => {
    if (random.chance(probability)) logged.push(concern(kind, random.int(10, 400)));
  };
  switch (family.concern) {
    case 'DOMESTIC_ABUSE':
      perhaps(0.35, SchoolConcernKind.BEHAVIOUR);
      perhaps(0.15, SchoolConcernKind.DISCLOSURE);
      break;
    case 'NEGLECT':
      perhaps(0.5, SchoolConcernKind.NEGLECT_INDICATORS);
      perhaps(0.3, SchoolConcernKind.ATTENDANCE);
      break;
    case 'PARENTAL_MENTAL_HEALTH':
      perhaps(0.25, SchoolConcernKind.EMOTIONAL_WELLBEING);
      break;
    case 'SUBSTANCE_MISUSE':
      perhaps(0.2, SchoolConcernKind.DISCLOSURE);
      break;
    case 'NONE':
      perhaps(0.03, SchoolConcernKind.BEHAVIOUR);
      break;
  }
  return logged;
}

const ROUTINE_ACTIONS = [
  SchoolConcernAction.MONITORING,
  SchoolConcernAction.MONITORING,
  SchoolConcernAction.PARENTS_SPOKEN_TO,
  SchoolConcernAction.EARLY_HELP_OFFERED,
  SchoolConcernAction.REFERRED_TO_MASH,
];

/** The school's part of a case study, for one of the children the story is about. */
function caseStudyConcerns(
  study: CaseStudy,
  concern: (
    kind: SchoolConcernKind,
    daysAgo: number,
    action?: SchoolConcernAction,
  ) => ConcernRecord,
  random: Random,
): ConcernRecord[] {
  switch (study.kind) {
    case 'REPEATED_CALL_OUTS':
      // Behaviour first, watched; then injuries, until the DSL refers to the MASH.
      return [
        concern(SchoolConcernKind.BEHAVIOUR, random.int(250, 400), SchoolConcernAction.MONITORING),
        concern(
          SchoolConcernKind.BEHAVIOUR,
          random.int(120, 240),
          SchoolConcernAction.PARENTS_SPOKEN_TO,
        ),
        concern(SchoolConcernKind.INJURY_SEEN, random.int(60, 110), SchoolConcernAction.MONITORING),
        concern(
          SchoolConcernKind.INJURY_SEEN,
          random.int(5, 50),
          SchoolConcernAction.REFERRED_TO_MASH,
        ),
      ];
    case 'SEPARATION_ATTENDANCE': {
      // In the spring term after the separation, then again in the summer.
      const since = (days: number) =>
        Math.round((REFERENCE_DATE.getTime() - Date.parse(study.separatedOn!)) / 86_400_000) - days;
      return [
        concern(
          SchoolConcernKind.ATTENDANCE,
          since(random.int(40, 60)),
          SchoolConcernAction.PARENTS_SPOKEN_TO,
        ),
        concern(
          SchoolConcernKind.EMOTIONAL_WELLBEING,
          since(random.int(120, 150)),
          SchoolConcernAction.EARLY_HELP_OFFERED,
        ),
      ];
    }
    case 'FINANCIAL_HARDSHIP':
      return [];
  }
}
