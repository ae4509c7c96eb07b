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
import { HealthContact, HealthContactKind, HealthPatient } from './entities';

/** Health records carry the NHS number; the spine keeps demographics fairly clean. */
const HEALTH_HABITS = { nhsNumberKnown: 1, error: 0.05, oldAddress: 0.2 };
const PRACTICES = [
  'Riverside Medical Centre',
  'Parkview Surgery',
  'Church Street Health Centre',
  'Meadow Lane Practice',
];

/**
 * Custodian release: an injury the emergency department saw in a household known for domestic
 * abuse is a safeguarding note. Health's own MASH member releases it for a case once the hospital's
 * safeguarding team has spoken to the patient alone: shared sooner, it may reach the abuser.
 */
function isSafeguardingNote(kind: HealthContactKind, family: SyntheticFamily): boolean {
  return kind === HealthContactKind.AE_ATTENDANCE && family.concern === 'DOMESTIC_ABUSE';
}

export async function seedHealth(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const patients: HealthPatient[] = [];
  const contacts: StoredRecord<HealthContact>[] = [];
  for (const family of population) {
    // A family new to the area has not registered with a GP here yet (itself a risk indicator).
    if (family.newToArea) continue;
    const random = new Random('health', family.familyKey);
    const gpPractice = random.pick(PRACTICES);
    for (const person of family.members) {
      const identity = agencyIdentity(person, random, HEALTH_HABITS);
      const patientId = stableUuid('health', person.personKey);
      patients.push({
        id: patientId,
        ...withBlockingKeys(identity),
        gpPractice,
        registeredSince: isoDate(daysBefore(REFERENCE_DATE, random.int(100, 3000))),
      });
      const age = ageOn(person.dateOfBirth);
      const contact = (kind: HealthContactKind, service: string, summary: string) =>
        contacts.push({
          patientId,
          kind,
          service,
          summary,
          requiresCustodianRelease: isSafeguardingNote(kind, family),
          occurredAt: daysBefore(REFERENCE_DATE, random.int(3, 700)),
        });

      if (age < 5) {
        for (let n = random.int(1, 3); n > 0; n--)
          contact(
            HealthContactKind.HEALTH_VISITOR_CONTACT,
            'Health visiting',
            'Developmental review.',
          );
      } else if (age < 18 && random.chance(0.3)) {
        contact(
          HealthContactKind.SCHOOL_NURSE_CONTACT,
          'School nursing',
          'Drop-in contact at school.',
        );
      }
      if (
        age >= 12 &&
        age < 18 &&
        (family.concern === 'PARENTAL_MENTAL_HEALTH' || random.chance(0.1))
      ) {
        contact(HealthContactKind.CAMHS, 'CAMHS', 'Referred for low mood and anxiety.');
      }
      if (family.concern === 'NEGLECT' && age < 18) {
        for (let n = random.int(2, 4); n > 0; n--)
          contact(HealthContactKind.MISSED_APPOINTMENT, 'GP', 'Was not brought to appointment.');
      }
      if (family.concern === 'DOMESTIC_ABUSE' && person.sex === 'FEMALE' && age >= 18) {
        contact(
          HealthContactKind.AE_ATTENDANCE,
          'Emergency department',
          'Facial injury, said to be a fall.',
        );
      }
      if (
        person.role === 'PARENT' &&
        person.sex === 'FEMALE' &&
        family.members.some((m) => ageOn(m.dateOfBirth) < 1)
      ) {
        contact(HealthContactKind.MATERNITY, 'Maternity', 'Postnatal contact.');
      }
    }
  }
  await insertInChunks(dataSource, HealthPatient, patients);
  await insertInChunks(dataSource, HealthContact, contacts as HealthContact[]);
}
