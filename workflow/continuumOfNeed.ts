/**
 * The threshold of need a MASH manager sets at triage, on a published continuum of need. This is
 * configuration; the default is the London Safeguarding Children Partnership's continuum (levels
 * 1–4), which most London MASHs use.
 */
export enum ThresholdOfNeed {
  /** Level 1: needs met by universal services. */
  UNIVERSAL = 'UNIVERSAL',
  /** Level 2: additional needs, met by early help. */
  EARLY_HELP = 'EARLY_HELP',
  /** Level 3: complex needs, children's social care (child in need, section 17). */
  COMPLEX = 'COMPLEX',
  /** Level 4: acute needs, significant harm: child protection (section 47). */
  CHILD_PROTECTION = 'CHILD_PROTECTION',
}

export const CONTINUUM_OF_NEED = {
  name: 'London Continuum of Need (London Safeguarding Children Partnership)',
  levels: [
    { level: 1, threshold: ThresholdOfNeed.UNIVERSAL, label: 'No additional needs' },
    { level: 2, threshold: ThresholdOfNeed.EARLY_HELP, label: 'Early help (additional needs)' },
    { level: 3, threshold: ThresholdOfNeed.COMPLEX, label: 'Complex needs (child in need)' },
    {
      level: 4,
      threshold: ThresholdOfNeed.CHILD_PROTECTION,
      label: 'Acute needs (child protection)',
    },
  ],
} as const;

/** What the MASH manager decides for a referral, after the agency checks. */
export enum MashOutcome {
  INFORMATION_AND_ADVICE = 'INFORMATION_AND_ADVICE',
  EARLY_HELP_SIGNPOSTING = 'EARLY_HELP_SIGNPOSTING',
  EARLY_HELP_ASSESSMENT = 'EARLY_HELP_ASSESSMENT',
  CHILD_AND_FAMILY_ASSESSMENT = 'CHILD_AND_FAMILY_ASSESSMENT',
  /** A strategy discussion under section 47 of the Children Act 1989. */
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
}

/** The outcomes that fit each threshold: a decision outside them needs its rationale to say why. */
export const OUTCOMES_BY_THRESHOLD: Record<ThresholdOfNeed, MashOutcome[]> = {
  [ThresholdOfNeed.UNIVERSAL]: [MashOutcome.INFORMATION_AND_ADVICE, MashOutcome.NO_FURTHER_ACTION],
  [ThresholdOfNeed.EARLY_HELP]: [
    MashOutcome.EARLY_HELP_SIGNPOSTING,
    MashOutcome.EARLY_HELP_ASSESSMENT,
    MashOutcome.INFORMATION_AND_ADVICE,
  ],
  [ThresholdOfNeed.COMPLEX]: [MashOutcome.CHILD_AND_FAMILY_ASSESSMENT],
  [ThresholdOfNeed.CHILD_PROTECTION]: [
    MashOutcome.STRATEGY_DISCUSSION,
    MashOutcome.CHILD_AND_FAMILY_ASSESSMENT,
  ],
};
