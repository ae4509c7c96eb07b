import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Custodian release in this agency (schema/custodianRelease.ts): the flag on the records it may
 * hold back, what its check reported awaiting release per case, and its member's releases. Written
 * by hand as `npm run db:generate-migration` writes it (the police's tables, the same statements).
 */
export class CustodianRelease1796404800000 implements MigrationInterface {
  name = 'CustodianRelease1796404800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "custodian_release" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "caseReference" character varying NOT NULL, "recordId" uuid NOT NULL, "releasedBy" character varying NOT NULL, "releasedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text NOT NULL, CONSTRAINT "PK_38d428203a2251d08ec1077fd71" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_c5d82cf18147b6d66d0aaa1c25" ON "custodian_release"  ("caseReference", "recordId") ',
    );
    await queryRunner.query(
      'CREATE TABLE "flagged_record_disclosure" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "caseReference" character varying NOT NULL, "recordId" uuid NOT NULL, "disclosedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_68e235293e57f2c99aa01b4d5f7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_42b94c21cc882dc09ecdd4f4f0" ON "flagged_record_disclosure"  ("caseReference", "recordId") ',
    );
    await queryRunner.query(
      'ALTER TABLE "exclusion" ADD "requiresCustodianRelease" boolean NOT NULL DEFAULT false',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "exclusion" DROP COLUMN "requiresCustodianRelease"');
    await queryRunner.query('DROP INDEX "public"."IDX_42b94c21cc882dc09ecdd4f4f0"');
    await queryRunner.query('DROP TABLE "flagged_record_disclosure"');
    await queryRunner.query('DROP INDEX "public"."IDX_c5d82cf18147b6d66d0aaa1c25"');
    await queryRunner.query('DROP TABLE "custodian_release"');
  }
}
