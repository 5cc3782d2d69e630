CREATE TABLE `moves` (
	`user_id` text PRIMARY KEY NOT NULL,
	`to_shard` text NOT NULL,
	`moved_at` text NOT NULL
);
