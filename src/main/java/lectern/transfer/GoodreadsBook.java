package lectern.transfer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A book's Goodreads origin: see migrations/V7__transfer.sql. */
@Entity
@Table(name = "goodreads_book")
public class GoodreadsBook extends ImportedFrom {

    @Column(name = "goodreads_id")
    public String goodreadsId;

    public String binding;

    @Column(name = "year_published")
    public Integer yearPublished;

    @Column(name = "original_year")
    public Integer originalYear;

    @Column(name = "owned_copies")
    public Integer ownedCopies;

    public boolean spoiler;

    @Column(name = "private_note_id")
    public Long privateNoteId;
}
