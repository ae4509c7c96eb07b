import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';

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

/** What a person decided about one agency record proposed as a possible match for a subject. */
export enum MatchDecisionKind {
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
}

/**
 * A person's decision on a possible match, as the hub hands it to the agencies with a subject's
 * demographics (`@requires`): which agency's record, and confirmed or rejected. Hidden from
 * clients (`@inaccessible`); shared by the hub and every agency subgraph, hence `@shareable`.
 */
@Directive('@inaccessible')
@Directive('@shareable')
@ObjectType({
  description: "For the agencies' matching only: a person's decision on a possible match.",
})
export class SubjectMatchDecision {
  @Field({ description: 'The agency whose record was decided on, e.g. police.' })
  agency: string;

  @Field({
    description: "The agency's own reference for the record (its check's recordReference).",
  })
  recordReference: string;

  // A string, not an enum: an enum would have to be kept identical in every subgraph.
  @Field(() => String, { description: 'CONFIRMED or REJECTED.' })
  decision: MatchDecisionKind;
}

/**
 * The selection an agency's check field requires from the `mash` subgraph's Subject. The postcode
 * comes as `matchingPostcode`, hidden from clients, so a protected address still matches without
 * any client-visible field returning it; likewise the match decisions people made for the subject
 * in its case (`matchDecisions`), so a confirmed record is shared and a rejected one never proposed.
 */
export const SUBJECT_DEMOGRAPHICS_FIELDS =
  'givenName familyName dateOfBirth sex matchingPostcode nhsNumber matchDecisions { agency recordReference decision }';

/** The demographics as an agency receives them for its check (`@requires`). */
export type RequiredDemographics = Omit<SubjectDemographics, 'postcode'> & {
  matchingPostcode: string | null;
  matchDecisions: SubjectMatchDecision[];
};

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(Sex, { name: 'Sex' });
