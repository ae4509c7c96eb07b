import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import {
  ageOn,
  agencyIdentity,
  daysBefore,
  isoDate,
  REFERENCE_DATE,
  SyntheticFamily,
  SyntheticPerson,
  daysAfter,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  AdmissionLegalStatus,
  CrisisContactKind,
  MentalHealthAdmission,
  MentalHealthCrisisContact,
  MentalHealthEpisode,
  MentalHealthPatient,
  MentalHealthTeam,
} from './entities';

/** An NHS trust: the NHS number is usually known, from the GP's referral. */
const MENTAL_HEALTH_HABITS = { nhsNumberKnown: 0.9, error: 0.05, oldAddress: 0.2 };

const CRISIS_SUMMARY: Record<CrisisContactKind, string> = {
  CRISIS_ASSESSMENT: 'Assessed by the crisis team after expressing thoughts of self-harm.',
  HOME_TREATMENT: 'Home treatment for two weeks instead of admission.',
  LIAISON_IN_EMERGENCY_DEPARTMENT: 'Seen by psychiatric liaison in the emergency department.',
  CRISIS_LINE_CALL: 'Called the crisis line; safety plan reviewed by phone.',
};
const COORDINATOR_TEAMS = [
  'North Locality Community Mental Health Team',
  'South Locality Community Mental Health Team',
  'Children and Young People’s Mental Health Service',
];

export async function seedMentalHealth(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const patients: MentalHealthPatient[] = [];
  const episodes: Omit<MentalHealthEpisode, 'id' | 'updatedAt'>[] = [];
  const crises: StoredRecord<MentalHealthCrisisContact>[] = [];
  const admissions: StoredRecord<MentalHealthAdmission>[] = [];
  for (const family of population) {
    if (family.newToArea) continue;
    const random = new Random('mental-health', family.familyKey);
    for (const person of family.members) {
      const age = ageOn(person.dateOfBirth);
      const chance =
        age < 5
          ? 0
          : age < 18
            ? family.concern === 'NONE'
              ? 0.04
              : 0.15
            : family.concern === 'PARENTAL_MENTAL_HEALTH' && person.role === 'PARENT'
              ? 0.8
              : 0.06;
      if (!random.chance(chance)) continue;
      const patientId = patientRow(patients, person, random);
      const openedOn = daysBefore(REFERENCE_DATE, random.int(30, 1500));
      const team =
        age < 18
          ? MentalHealthTeam.CAMHS
          : random.pick([
              MentalHealthTeam.ADULT_COMMUNITY,
              MentalHealthTeam.ADULT_COMMUNITY,
              MentalHealthTeam.PERINATAL,
              MentalHealthTeam.EARLY_INTERVENTION_IN_PSYCHOSIS,
            ]);
      episodes.push({
        patientId,
        team,
        openedOn: isoDate(openedOn),
        closedOn: random.chance(0.4) ? isoDate(daysAfter(openedOn, random.int(60, 400))) : null,
        careCoordinatorTeam:
          age < 18 ? COORDINATOR_TEAMS[2] : random.pick(COORDINATOR_TEAMS.slice(0, 2)),
      });
      const crisis = family.concern === 'PARENTAL_MENTAL_HEALTH' && age >= 18;
      for (let n = crisis ? random.int(1, 3) : random.chance(0.2) ? 1 : 0; n > 0; n--) {
        const kind = random.pick(Object.values(CrisisContactKind));
        const occurredOn = daysAfter(openedOn, random.int(0, 300));
        crises.push({
          patientId,
          kind,
          occurredOn: isoDate(occurredOn < REFERENCE_DATE ? occurredOn : openedOn),
          summary: CRISIS_SUMMARY[kind],
          // A crisis assessment records a risk of self-harm the person disclosed: the trust's own
          // MASH member releases it case by case, once the care team agrees it is safe to share.
          requiresCustodianRelease: kind === CrisisContactKind.CRISIS_ASSESSMENT,
        });
      }
      if (crisis && random.chance(0.35)) {
        const admittedOn = new Date(
          Math.min(daysAfter(openedOn, random.int(10, 200)).getTime(), REFERENCE_DATE.getTime()),
        );
        const dischargedOn = daysAfter(admittedOn, random.int(7, 60));
        const admission = {
          patientId,
          admittedOn: isoDate(admittedOn),
          dischargedOn:
            random.chance(0.8) && dischargedOn < REFERENCE_DATE ? isoDate(dischargedOn) : null,
          legalStatus: random.pick(Object.values(AdmissionLegalStatus)),
        };
        admissions.push({
          ...admission,
          // A detention under the Mental Health Act: the trust's own MASH member releases it case
          // by case (the Act's safeguards, and what the person was told would be shared).
          requiresCustodianRelease: admission.legalStatus !== AdmissionLegalStatus.INFORMAL,
        });
      }
    }
  }
  await insertInChunks(dataSource, MentalHealthPatient, patients);
  await insertInChunks(dataSource, MentalHealthEpisode, episodes as MentalHealthEpisode[]);
  await insertInChunks(
    dataSource,
    MentalHealthCrisisContact,
    crises as MentalHealthCrisisContact[],
  );
  await insertInChunks(dataSource, MentalHealthAdmission, admissions as MentalHealthAdmission[]);
}

/** The person row: the one place a person joins the trust's index, as the trust records people. */
function patientRow(
  patients: MentalHealthPatient[],
  person: SyntheticPerson,
  random: Random,
): string {
  const id = stableUuid('mental-health', person.personKey);
  patients.push({ id, ...withBlockingKeys(agencyIdentity(person, random, MENTAL_HEALTH_HABITS)) });
  return id;
}
