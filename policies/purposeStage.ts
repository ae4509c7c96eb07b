import { CONTINUUM_OF_NEED, MashOutcome, ThresholdOfNeed } from '../workflow/continuumOfNeed';
import { Purpose } from './roles';

/**
 * A purpose is earned, not declared: the stage a case must have reached before a request may use
 * each purpose. A strategy discussion (section 47) is for a case at child protection; an assessment
 * for complex needs or above. `null`: the purpose needs no stage (an agency check is how every case
 * starts; a case system asks for its own case; an audit reads no child records).
 */
export const PURPOSE_NEEDS_STAGE: Record<Purpose, ThresholdOfNeed | null> = {
  [Purpose.AGENCY_CHECK]: null,
  [Purpose.STRATEGY_DISCUSSION]: ThresholdOfNeed.CHILD_PROTECTION,
  [Purpose.ASSESSMENT]: ThresholdOfNeed.COMPLEX,
  [Purpose.CASE_HISTORY]: null,
  [Purpose.AUDIT]: null,
};

/**
 * The stage a manager's recorded decision puts a case at, whatever its triage said: deciding on a
 * strategy discussion is deciding the child may be suffering significant harm; deciding on a child
 * and family assessment is deciding the needs are complex. Other outcomes add no stage.
 */
export const STAGE_OF_DECISION: Partial<Record<MashOutcome, ThresholdOfNeed>> = {
  [MashOutcome.STRATEGY_DISCUSSION]: ThresholdOfNeed.CHILD_PROTECTION,
  [MashOutcome.CHILD_AND_FAMILY_ASSESSMENT]: ThresholdOfNeed.COMPLEX,
};

/** The level (1–4) of a threshold on the continuum of need; 0 for a case not yet triaged. */
export function levelOf(threshold: ThresholdOfNeed | null | undefined): number {
  return CONTINUUM_OF_NEED.levels.find((l) => l.threshold === threshold)?.level ?? 0;
}

/** What the hub records of a case's stage: its triage threshold and the manager's decision. */
export interface CaseStage {
  threshold: ThresholdOfNeed | null;
  decision: MashOutcome | null;
}

/** The level a case has reached: the higher of its triage threshold and its decision's stage. */
export function stageLevel(stage: CaseStage): number {
  const decided = stage.decision ? STAGE_OF_DECISION[stage.decision] : undefined;
  return Math.max(levelOf(stage.threshold), levelOf(decided));
}

/** Whether the case has reached the stage the purpose needs. */
export function purposeJustified(purpose: Purpose, stage: CaseStage): boolean {
  const needed = PURPOSE_NEEDS_STAGE[purpose];
  return needed === null || stageLevel(stage) >= levelOf(needed);
}

/** The decisions that would put a case at (or above) a threshold. */
function decisionsReaching(threshold: ThresholdOfNeed): MashOutcome[] {
  return (Object.entries(STAGE_OF_DECISION) as [MashOutcome, ThresholdOfNeed][])
    .filter(([, stage]) => levelOf(stage) >= levelOf(threshold))
    .map(([outcome]) => outcome);
}

/**
 * In plain words, the stage a purpose needs: "the case is triaged at CHILD_PROTECTION (level 4) or
 * above, or a MASH manager decides STRATEGY_DISCUSSION". Null when the purpose needs no stage.
 */
export function stageNeededFor(purpose: Purpose): string | null {
  const needed = PURPOSE_NEEDS_STAGE[purpose];
  if (needed === null) return null;
  const level = levelOf(needed);
  const atLeast = level < CONTINUUM_OF_NEED.levels.length ? ' or above' : '';
  const decisions = decisionsReaching(needed);
  return (
    `the case is triaged at ${needed} (level ${level})${atLeast}` +
    (decisions.length ? `, or a MASH manager decides ${decisions.join(' or ')}` : '')
  );
}
