import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import { withBlockingKeys } from '../../schema/agencyPerson';
import { StoredRecord } from '../../schema/custodianRelease';
import {
  ageOn,
  daysAfter,
  daysBefore,
  isoDate,
  agencyIdentity,
  CaseStudy,
  REFERENCE_DATE,
  SyntheticFamily,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  HealthContact,
  HealthContactKind,
  HealthPatient,
  HealthReferral,
  HealthReferralSource,
} from './entities';

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
  const referrals: Omit<HealthReferral, 'id' | 'updatedAt'>[] = [];
  for (const family of population) {
    // A family new to the area has not registered with a GP here yet (itself a risk indicator).
    if (family.newToArea) continue;
    const random = new Random('health', family.familyKey);
    // Its own stream, so the referrals do not shift the patients' identities and contacts.
    const referralRandom = new Random('health-referrals', family.familyKey);
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
      const born = new Date(`${person.dateOfBirth}T00:00:00Z`);
      const contact = (kind: HealthContactKind, service: string, summary: string) => {
        // Never before the person was born: a baby's first contacts are from its new-birth visit.
        const occurredAt = latest(daysBefore(REFERENCE_DATE, random.int(3, 700)), born);
        contacts.push({
          patientId,
          kind,
          service,
          summary,
          requiresCustodianRelease: isSafeguardingNote(kind, family),
          occurredAt,
        });
        return occurredAt;
      };
      const referral = (
        service: string,
        referredOn: Date,
        source: HealthReferralSource,
        reason: string,
      ) =>
        referrals.push({
          patientId,
          service,
          referredOn: isoDate(latest(referredOn, born)),
          source,
          reason,
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
        const seen = contact(
          HealthContactKind.CAMHS,
          'CAMHS',
          'Referred for low mood and anxiety.',
        );
        // The referral that brought them to CAMHS, some weeks before.
        const source = referralRandom.pick(CAMHS_REFERRERS);
        referral(
          'CAMHS',
          daysBefore(seen, referralRandom.int(14, 60)),
          source,
          source === HealthReferralSource.EMERGENCY_DEPARTMENT
            ? 'Seen in A&E after self-harm; referred for a CAMHS assessment.'
            : family.concern === 'PARENTAL_MENTAL_HEALTH'
              ? 'Low mood and anxiety; worried about a parent’s mental health at home.'
              : 'Low mood and anxiety; sleeping poorly and withdrawn.',
        );
      }
      if (age < 5 && family.concern === 'NEGLECT' && referralRandom.chance(0.5)) {
        referral(
          'Community paediatrics',
          daysBefore(REFERENCE_DATE, referralRandom.int(20, 300)),
          HealthReferralSource.HEALTH_VISITOR,
          'Faltering growth and delayed speech; home conditions a concern at the visit.',
        );
      } else if (age >= 2 && age < 5 && referralRandom.chance(0.1)) {
        referral(
          'Speech and language therapy',
          daysBefore(REFERENCE_DATE, referralRandom.int(20, 500)),
          HealthReferralSource.HEALTH_VISITOR,
          'Speech delay noted at the two-year review.',
        );
      }
      if (family.caseStudy?.children.includes(person.personKey)) {
        caseStudyRecords(family.caseStudy, referralRandom, referral, (c) =>
          contacts.push({ patientId, ...c }),
        );
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
  await insertInChunks(dataSource, HealthReferral, referrals as HealthReferral[]);
}

/** Who refers a child to CAMHS: mostly the GP, then the school and its nurse, the family, A&E. */
const CAMHS_REFERRERS = [
  HealthReferralSource.GP,
  HealthReferralSource.GP,
  HealthReferralSource.GP,
  HealthReferralSource.SCHOOL,
  HealthReferralSource.SCHOOL_NURSE,
  HealthReferralSource.SELF_OR_PARENT,
  HealthReferralSource.EMERGENCY_DEPARTMENT,
];

/** Health's part of a case study, for one of the children the story is about. */
function caseStudyRecords(
  study: CaseStudy,
  random: Random,
  referral: (service: string, on: Date, source: HealthReferralSource, reason: string) => void,
  addContact: (contact: Omit<StoredRecord<HealthContact>, 'patientId'>) => void,
): void {
  switch (study.kind) {
    case 'SEPARATION_ATTENDANCE': {
      // The GP refers to CAMHS in the spring after the separation; CAMHS sees the pupil weeks later.
      const referredOn = daysAfter(new Date(`${study.separatedOn}T00:00:00Z`), random.int(70, 110));
      referral(
        'CAMHS',
        referredOn,
        HealthReferralSource.GP,
        'Low mood, poor sleep and not wanting to go to school since the parents separated.',
      );
      addContact({
        kind: HealthContactKind.CAMHS,
        service: 'CAMHS',
        summary:
          'Choice appointment after the GP’s referral: low mood since the parents separated.',
        requiresCustodianRelease: false,
        occurredAt: daysAfter(referredOn, random.int(30, 50)),
      });
      break;
    }
    case 'FINANCIAL_HARDSHIP':
      addContact({
        kind: HealthContactKind.HEALTH_VISITOR_CONTACT,
        service: 'Health visiting',
        summary:
          'Family struggling financially: rent arrears, a cold home, using the food bank; mother tearful.',
        requiresCustodianRelease: false,
        occurredAt: daysBefore(REFERENCE_DATE, random.int(10, 60)),
      });
      break;
    case 'REPEATED_CALL_OUTS':
      break;
  }
}

function latest(a: Date, b: Date): Date {
  return a > b ? a : b;
}
