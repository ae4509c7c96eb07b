import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by hand, as `npm run db:generate-migration` would: when each event record was last written (the chronology's change feed). */
export class EventUpdatedAt1796460000000 implements MigrationInterface {
  name = 'EventUpdatedAt1796460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "early_help_episode" ADD "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "early_help_episode" DROP COLUMN "updatedAt"');
  }
}
