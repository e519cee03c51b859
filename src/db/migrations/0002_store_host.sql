ALTER TABLE `stores` ADD `host` text;--> statement-breakpoint
-- backfill the effective host from the store URL (scheme://host); of live stores sharing one host, only the oldest keeps it
UPDATE `stores` SET `host` = lower(substr(`store_url`, instr(`store_url`, '://') + 3)) WHERE `status` <> 'Deleted' AND NOT EXISTS (SELECT 1 FROM `stores` AS `o` WHERE `o`.`status` <> 'Deleted' AND lower(substr(`o`.`store_url`, instr(`o`.`store_url`, '://') + 3)) = lower(substr(`stores`.`store_url`, instr(`stores`.`store_url`, '://') + 3)) AND (`o`.`created_at` < `stores`.`created_at` OR (`o`.`created_at` = `stores`.`created_at` AND `o`.`id` < `stores`.`id`)));--> statement-breakpoint
CREATE UNIQUE INDEX `stores_live_host` ON `stores` (`host`) WHERE status <> 'Deleted';
