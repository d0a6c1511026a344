-- The background labeller (lectern.llm.BackgroundLabeler) looks for rows the classifier has not
-- labelled yet, oldest first. These partial indexes hold only those rows, so the scan stays cheap
-- however large the tables grow, and rows leave the index once labelled.
CREATE INDEX note_unlabelled_idx ON note (id) WHERE label IS NULL AND NOT user_label AND deleted_at IS NULL;
CREATE INDEX log_item_unlabelled_idx ON log_item (id) WHERE label IS NULL AND NOT user_label;
