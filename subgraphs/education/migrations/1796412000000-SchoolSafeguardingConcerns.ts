import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The safeguarding concerns a school's designated safeguarding lead logs about a pupil. Written by
 * hand as TypeORM's schema builder generates it for the entity (checked against its output).
 */
export class SchoolSafeguardingConcerns1796412000000 implements MigrationInterface {
  name = 'SchoolSafeguardingConcerns1796412000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "school_safeguarding_concern" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "pupilId" uuid NOT NULL, "kind" character varying NOT NULL, "loggedOn" date NOT NULL, "loggedBy" character varying NOT NULL, "actionTaken" character varying NOT NULL, "summary" text NOT NULL, CONSTRAINT "PK_48967b35dc40c95744abf46aa47" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e4535ffe5f7d5362f5361022b0" ON "school_safeguarding_concern"  ("pupilId") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_e4535ffe5f7d5362f5361022b0"');
    await queryRunner.query('DROP TABLE "school_safeguarding_concern"');
  }
}
