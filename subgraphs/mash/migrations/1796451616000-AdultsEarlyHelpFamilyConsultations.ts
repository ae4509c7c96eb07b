import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adults at risk (whom a referral is about, their capacity to consent), the child's Early Help
 * Assessment and its deadline, whether the family was told, and the consultation service.
 * Generated from the entities by TypeORM's schema builder (against the embedded PostgreSQL).
 */
export class AdultsEarlyHelpFamilyConsultations1796451616000 implements MigrationInterface {
  name = 'AdultsEarlyHelpFamilyConsultations1796451616000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "capacity_assessment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "caseId" uuid NOT NULL, "subjectId" uuid NOT NULL, "hasCapacity" boolean NOT NULL, "assessedBy" character varying NOT NULL, "assessedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "notes" text NOT NULL, "recordedBy" character varying NOT NULL, "recordedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3eefd2009496d0de17816ae4dc2" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d4eb9643ee47da0681bf4cac39" ON "capacity_assessment"  ("caseId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "consultation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "askedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "askedByRole" character varying NOT NULL, "askedByAgency" character varying NOT NULL, "question" text NOT NULL, "advice" text NOT NULL, "advisedBy" character varying NOT NULL, "caseId" uuid, CONSTRAINT "PK_5203569fac28a4a626c42abe70b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d34578195f4ee68bae71ba3851" ON "consultation"  ("askedAt") ',
    );
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "about" character varying NOT NULL DEFAULT \'CHILD\'',
    );
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "earlyHelpAssessmentReference" character varying',
    );
    await queryRunner.query('ALTER TABLE "referral" ADD "earlyHelpAssessmentSummary" text');
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "earlyHelpAssessmentSuppliedAt" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "earlyHelpAssessmentDueAt" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query('ALTER TABLE "referral" ADD "familyTold" boolean');
    await queryRunner.query('ALTER TABLE "referral" ADD "familyToldBy" character varying');
    await queryRunner.query('ALTER TABLE "referral" ADD "familyToldAt" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "referral" ADD "familyNotToldReason" text');
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "familyNotToldDecidedBy" character varying',
    );
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "familyInformedRecordedBy" character varying',
    );
    await queryRunner.query(
      'ALTER TABLE "referral" ADD "familyInformedRecordedAt" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ee93e1ce862f4903f4a4ea5435" ON "referral"  ("earlyHelpAssessmentDueAt") WHERE "earlyHelpAssessmentSuppliedAt" IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_ee93e1ce862f4903f4a4ea5435"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyInformedRecordedAt"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyInformedRecordedBy"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyNotToldDecidedBy"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyNotToldReason"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyToldAt"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyToldBy"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "familyTold"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "earlyHelpAssessmentDueAt"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "earlyHelpAssessmentSuppliedAt"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "earlyHelpAssessmentSummary"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "earlyHelpAssessmentReference"');
    await queryRunner.query('ALTER TABLE "referral" DROP COLUMN "about"');
    await queryRunner.query('DROP INDEX "public"."IDX_d34578195f4ee68bae71ba3851"');
    await queryRunner.query('DROP TABLE "consultation"');
    await queryRunner.query('DROP INDEX "public"."IDX_d4eb9643ee47da0681bf4cac39"');
    await queryRunner.query('DROP TABLE "capacity_assessment"');
  }
}
