import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by hand, as `npm run db:generate-migration` would: when each event record was last written (the chronology's change feed). */
export class ReferralUpdatedAt1796460000000 implements MigrationInterface {
  name = 'ReferralUpdatedAt1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "health_referral" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "health_referral" DROP COLUMN "updatedAt"');
  }
}
