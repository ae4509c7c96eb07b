import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import type { SyntheticFamily } from '../../synthetic/population';
import { stableUuid } from '../../synthetic/stableUuid';
import { ConsentState, SharingGround } from '../../policies/consent';
import {
  Case,
  CaseStatus,
  HouseholdRole,
  RagRating,
  RecordedGround,
  Referral,
  ReferrerType,
  Subject,
} from './entities';

/** The hub's own records: one referral and one open case for each referred family. */
export async function seedMash(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const referrals: Referral[] = [];
  const cases: Case[] = [];
  const subjects: Subject[] = [];
  const grounds: Omit<RecordedGround, 'id'>[] = [];
  for (const family of population) {
    if (!family.referral) continue;
    const referralId = stableUuid('mash', 'referral', family.familyKey);
    const caseId = stableUuid('mash', 'case', family.familyKey);
    referrals.push({
      id: referralId,
      receivedAt: family.referral.receivedAt,
      referrerType: family.referral.referrerType as ReferrerType,
      concerns: family.referral.concerns,
      rag: family.referral.rag as RagRating | null,
    });
    const consent = family.referral.consent as ConsentState;
    cases.push({
      id: caseId,
      reference: caseReference(family.index),
      externalReference: caseSystemReference(family.index),
      status: caseStatus(family.index),
      openedAt: family.referral.receivedAt,
      referralId,
      teams: [MASH_TEAMS[family.index % MASH_TEAMS.length]],
      consent,
      consentNotes: `Referrer (${family.referral.referrerType.toLowerCase()}) reports consent ${consent.toLowerCase().replace('_', ' ')}.`,
      consentRecordedBy: 'seed',
      consentRecordedAt: family.referral.receivedAt,
    });
    // An urgent referral without consent: a manager has authorised sharing on the ground of harm.
    if (consent !== ConsentState.GIVEN && family.referral.rag === 'RED') {
      grounds.push({
        caseId,
        ground: SharingGround.SIGNIFICANT_HARM_TO_CHILD,
        authorisedBy: 'manager.seed',
        authorisedAt: family.referral.receivedAt,
        reason:
          'Red referral: seeking consent first would put the child at risk of significant harm.',
      });
    }
    for (const subject of family.referral.subjects) {
      subjects.push({
        id: stableUuid('mash', 'subject', subject.personKey),
        caseId,
        roleInHousehold: subject.role as HouseholdRole,
        givenName: subject.givenName,
        familyName: subject.familyName,
        dateOfBirth: subject.dateOfBirth,
        sex: subject.sex as Subject['sex'],
        addressLine: subject.addressLine,
        postcode: subject.postcode,
        nhsNumber: subject.nhsNumber,
        addressConfidential: subject.addressConfidential,
      });
    }
  }
  await insertInChunks(dataSource, Referral, referrals);
  await insertInChunks(dataSource, Case, cases);
  await insertInChunks(dataSource, Subject, subjects);
  await insertInChunks(dataSource, RecordedGround, grounds as RecordedGround[]);
}

/** Most cases are open in the hub; every thirteenth has been decided and closed. */
export function caseStatus(familyIndex: number): CaseStatus {
  return familyIndex % 13 === 12 ? CaseStatus.CLOSED : CaseStatus.OPEN;
}

/** The MASH teams cases are assigned to in the synthetic hub. */
export const MASH_TEAMS = ['mash-east', 'mash-west'];

/** The council's children's social care system's reference for the same case. */
export function caseSystemReference(familyIndex: number): string {
  return `CSC-${String(familyIndex).padStart(6, '0')}`;
}

export function caseReference(familyIndex: number): string {
  return `MASH-2026-${String(familyIndex).padStart(6, '0')}`;
}
