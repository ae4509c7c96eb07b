import { registerEnumType } from 'type-graphql';

/**
 * The demographics the MASH holds for a subject, as the referral gave them. They are what every
 * agency subgraph `@requires` to find its own records: agencies never key their systems on the
 * MASH's internal ids.
 */
export interface SubjectDemographics {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null; // ISO date; a referral may not know it
  sex: Sex | null;
  postcode: string | null;
  nhsNumber: string | null;
}

/**
 * The selection an agency's check field requires from the `mash` subgraph's Subject. The postcode
 * comes as `matchingPostcode`, hidden from clients, so a protected address still matches without
 * any client-visible field returning it.
 */
export const SUBJECT_DEMOGRAPHICS_FIELDS =
  'givenName familyName dateOfBirth sex matchingPostcode nhsNumber';

/** The demographics as an agency receives them for its check (`@requires`). */
export type RequiredDemographics = Omit<SubjectDemographics, 'postcode'> & {
  matchingPostcode: string | null;
};

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(Sex, { name: 'Sex' });
