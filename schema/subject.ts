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

/** The selection an agency's check field requires from the `mash` subgraph's Subject. */
export const SUBJECT_DEMOGRAPHICS_FIELDS =
  'givenName familyName dateOfBirth sex postcode nhsNumber';

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(Sex, { name: 'Sex' });
