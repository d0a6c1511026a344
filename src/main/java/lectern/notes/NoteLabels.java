package lectern.notes;

import jakarta.enterprise.context.ApplicationScoped;
import lectern.api.LabelledRows;
import lectern.api.UserLabelled;

/** The labels of notes ({@code note}; deleted notes are neither trained on nor labelled), offered to the classifier's room. */
@ApplicationScoped
public class NoteLabels extends LabelledRows {

    public NoteLabels() {
        super(UserLabelled.NOTE, "note", "deleted_at is null");
    }
}
