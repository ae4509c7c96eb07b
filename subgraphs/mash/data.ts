import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import type { SyntheticFamily } from '../../synthetic/population';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  Case,
  CaseStatus,
  HouseholdRole,
  RagRating,
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
    cases.push({
      id: caseId,
      reference: caseReference(family.index),
      status: CaseStatus.OPEN,
      openedAt: family.referral.receivedAt,
      referralId,
    });
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
      });
    }
  }
  await insertInChunks(dataSource, Referral, referrals);
  await insertInChunks(dataSource, Case, cases);
  await insertInChunks(dataSource, Subject, subjects);
}

export function caseReference(familyIndex: number): string {
  return `MASH-2026-${String(familyIndex).padStart(6, '0')}`;
}
