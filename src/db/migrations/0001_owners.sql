CREATE TABLE `owners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`allowed_plans` text,
	`allowed_engines` text,
	`max_stores` integer,
	`max_cpu_millis` integer,
	`max_memory_mib` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `api_keys` ADD `owner_id` text REFERENCES owners(id);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `owner_id` text;--> statement-breakpoint
CREATE INDEX `audit_log_owner` ON `audit_log` (`owner_id`,`id`);--> statement-breakpoint
ALTER TABLE `stores` ADD `owner_id` text DEFAULT 'default' NOT NULL;--> statement-breakpoint
CREATE INDEX `stores_owner_created` ON `stores` (`owner_id`,`created_at`,`id`);--> statement-breakpoint
-- tenancy: everything that existed belongs to the `default` owner (unlimited); admin keys stay platform admins
INSERT INTO `owners` (`id`, `name`, `created_at`, `updated_at`) VALUES ('default', 'Default owner', CAST(strftime('%s','now') AS integer) * 1000, CAST(strftime('%s','now') AS integer) * 1000);--> statement-breakpoint
UPDATE `api_keys` SET `owner_id` = 'default' WHERE `role` <> 'admin';
