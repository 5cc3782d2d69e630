-- Keeps todo_counts exact: every insert, delete, and change of `completed` on todos
-- adjusts its owner's row in the same statement's transaction.
CREATE TRIGGER `todo_counts_after_insert` AFTER INSERT ON `todos`
BEGIN
	INSERT INTO `todo_counts` (`user_id`, `active`, `completed`)
	VALUES (NEW.`user_id`, NEW.`completed` = 0, NEW.`completed` <> 0)
	ON CONFLICT (`user_id`) DO UPDATE SET
		`active` = `active` + excluded.`active`,
		`completed` = `completed` + excluded.`completed`;
END;
--> statement-breakpoint
CREATE TRIGGER `todo_counts_after_delete` AFTER DELETE ON `todos`
BEGIN
	UPDATE `todo_counts` SET
		`active` = `active` - (OLD.`completed` = 0),
		`completed` = `completed` - (OLD.`completed` <> 0)
	WHERE `user_id` = OLD.`user_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `todo_counts_after_update` AFTER UPDATE OF `completed`, `user_id` ON `todos`
WHEN OLD.`completed` IS NOT NEW.`completed` OR OLD.`user_id` IS NOT NEW.`user_id`
BEGIN
	UPDATE `todo_counts` SET
		`active` = `active` - (OLD.`completed` = 0),
		`completed` = `completed` - (OLD.`completed` <> 0)
	WHERE `user_id` = OLD.`user_id`;
	INSERT INTO `todo_counts` (`user_id`, `active`, `completed`)
	VALUES (NEW.`user_id`, NEW.`completed` = 0, NEW.`completed` <> 0)
	ON CONFLICT (`user_id`) DO UPDATE SET
		`active` = `active` + excluded.`active`,
		`completed` = `completed` + excluded.`completed`;
END;
--> statement-breakpoint
-- Backfill: the counts of the todos that exist before the triggers.
INSERT INTO `todo_counts` (`user_id`, `active`, `completed`)
SELECT `user_id`, sum(`completed` = 0), sum(`completed` <> 0) FROM `todos` GROUP BY `user_id`;
