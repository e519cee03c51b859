ALTER TABLE `stores` ADD `purge_at` integer;--> statement-breakpoint
ALTER TABLE `stores` ADD `undelete_to` text;