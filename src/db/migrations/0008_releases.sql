ALTER TABLE `stores` ADD `release` text;--> statement-breakpoint
ALTER TABLE `stores` ADD `upgrade_from` text;--> statement-breakpoint
ALTER TABLE `stores` ADD `upgrade_backup_id` text;