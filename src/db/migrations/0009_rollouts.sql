CREATE TABLE `rollout_stores` (
	`rollout_id` text NOT NULL,
	`store_id` text NOT NULL,
	`wave` integer NOT NULL,
	`position` integer NOT NULL,
	`from_version` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`started_at` integer,
	`finished_at` integer,
	PRIMARY KEY(`rollout_id`, `store_id`),
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rollout_stores_store` ON `rollout_stores` (`store_id`,`status`);--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` text PRIMARY KEY NOT NULL,
	`engine` text NOT NULL,
	`version` text NOT NULL,
	`selector` text NOT NULL,
	`wave_sizes` text NOT NULL,
	`max_failures` integer NOT NULL,
	`pause_seconds` integer NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`wave` integer DEFAULT 0 NOT NULL,
	`next_wave_at` integer,
	`failures_forgiven` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `rollouts_status` ON `rollouts` (`status`);--> statement-breakpoint
CREATE INDEX `rollouts_created` ON `rollouts` (`created_at`,`id`);