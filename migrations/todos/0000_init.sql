CREATE TABLE `todos` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`user_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`completed` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `todos_id_unique` ON `todos` (`id`);--> statement-breakpoint
CREATE INDEX `todos_user_seq` ON `todos` (`user_id`,`seq`);--> statement-breakpoint
CREATE INDEX `todos_user_completed_seq` ON `todos` (`user_id`,`completed`,`seq`);