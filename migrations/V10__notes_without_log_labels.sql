-- Notes no longer take the model's learning-log labels (book, course, paper, ...): on a note about a book's
-- replication chapter "paper" or "project" means nothing. The classifier labels notes only for a user whose own
-- classifier was trained on labelled notes (lectern.llm.BackgroundLabeler); those are relabelled by it. The user's own
-- labels stay.
UPDATE note SET label = NULL, confidence = NULL WHERE NOT user_label AND label IS NOT NULL;
