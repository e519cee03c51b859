CREATE TABLE `backups` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`slug` text NOT NULL,
	`engine` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`size_bytes` integer,
	`duration_ms` integer,
	`started_at` integer,
	`finished_at` integer,
	`expires_at` integer,
	`error_step` text,
	`error_reason` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `backups_store_created` ON `backups` (`store_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `backups_status` ON `backups` (`status`);--> statement-breakpoint
CREATE TABLE `restores` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`backup_id` text NOT NULL,
	`status` text NOT NULL,
	`step` text,
	`duration_ms` integer,
	`started_at` integer,
	`finished_at` integer,
	`error_step` text,
	`error_reason` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`backup_id`) REFERENCES `backups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `restores_store_created` ON `restores` (`store_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `stores` ADD `final_backup_id` text;