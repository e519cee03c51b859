ALTER TABLE `store_events` ADD `count` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `store_events` ADD `last_at` integer;