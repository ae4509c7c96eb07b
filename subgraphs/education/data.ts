import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import {
  ageOn,
  daysBefore,
  isoDate,
  agencyIdentity,
  REFERENCE_DATE,
  SyntheticFamily,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import { Exclusion, ExclusionKind, Pupil, SenStatus, TermAttendance } from './entities';

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
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('education', family.familyKey);
    for (const child of family.members) {
      const age = ageOn(child.dateOfBirth);
      if (age < 4 || age > 16) continue;
      const identity = agencyIdentity(child, random, EDUCATION_HABITS);
      const pupilId = stableUuid('education', child.personKey);
      const homeEducated = random.chance(0.03);
      const missing = !homeEducated && random.chance(family.concern === 'NEGLECT' ? 0.15 : 0.01);
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
      for (const [term, termEnded] of TERMS) {
        attendance.push({
          pupilId,
          term,
          termEnded,
          attendancePercent: random.int(low * 10, high * 10) / 10,
        });
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
}
