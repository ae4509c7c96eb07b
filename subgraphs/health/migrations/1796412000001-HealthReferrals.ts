import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referrals into health services: who referred, when, and why. Written by hand as TypeORM's
 * schema builder generates it for the entity (checked against its output).
 */
export class HealthReferrals1796412000001 implements MigrationInterface {
  name = 'HealthReferrals1796412000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "health_referral" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "patientId" uuid NOT NULL, "service" character varying NOT NULL, "referredOn" date NOT NULL, "source" character varying NOT NULL, "reason" text NOT NULL, CONSTRAINT "PK_a459210f04b4462847febb354b3" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_3cc5b80047c45a6928a7c2dde7" ON "health_referral"  ("patientId") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_3cc5b80047c45a6928a7c2dde7"');
    await queryRunner.query('DROP TABLE "health_referral"');
  }
}
