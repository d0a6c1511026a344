package lectern.notes;

/** What a note is: a passage marked in the text, a quote to keep, an idea of one's own, or how to apply it. */
public enum NoteKind {
    highlight, quote, idea, application
}
