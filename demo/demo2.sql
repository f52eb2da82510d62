-- second half of the demo: status and plan after the migration
.load ./rex_orm
.mode list
.print '== 7. status and plan now'
SELECT rex_migration_status();
SELECT rex_plan();
