package lectern.transfer;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import lectern.books.Book;
import lectern.books.BookDetails;
import lectern.books.NewBooks;
import lectern.books.Progress;
import lectern.books.ReadThroughs;
import lectern.books.Reading;
import lectern.books.ReadingDates;
import lectern.books.Review;
import lectern.logs.DailyLog;
import lectern.logs.LogItem;
import lectern.notes.Note;
import lectern.notes.NoteKind;
import lectern.papers.Doi;
import lectern.papers.Paper;
import lectern.papers.PaperStatus;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The full backup: {@link #export} writes every piece of an account as a {@link Backup}; {@link #restore}
 * puts one into an account in one transaction (all of it or nothing). Things the account already has (a book
 * with the same ISBN or title and author, a paper with the same arXiv id or DOI, a log for the same day, a goal
 * for the same year) are skipped, so restoring the same backup twice creates nothing new.
 */
@ApplicationScoped
public class BackupService {

    @Inject
    Clock clock;

    @jakarta.inject.Inject
    lectern.papers.PaperReferences paperReferences;

    /** The account as a backup; references are brought up to date with the paper notes first. */
    @Transactional
    public Backup export(long ownerId) {
        paperReferences.catchUp(ownerId, null);
        EntityManager em = Book.getEntityManager();
        Map<Long, List<Note>> bookNotes = new HashMap<>();
        Map<Long, List<Note>> paperNotes = new HashMap<>();
        // notes in the trash too: they can be restored in the app, so a backup keeps them (marked deleted)
        for (Note note : Note.<Note>list("ownerId = ?1", Sort.by("createdAt").and("id"), ownerId)) {
            if (note.bookId != null) {
                bookNotes.computeIfAbsent(note.bookId, k -> new ArrayList<>()).add(note);
            } else if (note.paperId != null) {
                paperNotes.computeIfAbsent(note.paperId, k -> new ArrayList<>()).add(note);
            }
        }
        Map<Long, List<Reading>> readings = Reading.<Reading>list("ownerId", Sort.by("id"), ownerId).stream()
                .collect(Collectors.groupingBy(r -> r.bookId));
        Map<Long, List<Progress>> progress = Progress.<Progress>list("ownerId", Sort.by("onDate").and("id"), ownerId)
                .stream().collect(Collectors.groupingBy(p -> p.readingId));
        Map<Long, Review> reviews = Review.<Review>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(r -> r.bookId, Function.identity()));
        Map<Long, GoodreadsBook> links = GoodreadsBook.<GoodreadsBook>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(l -> l.bookId, Function.identity()));
        Map<Long, StoryGraphBook> storygraph = StoryGraphBook.<StoryGraphBook>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(l -> l.bookId, Function.identity()));
        Map<Long, Backup.KindleEntry> kindle = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> clippings = em.createNativeQuery("select note_id, kind, location_start, location_end, added_at"
                + " from kindle_clipping where owner_id = ?1").setParameter(1, ownerId).getResultList();
        for (Object[] c : clippings) {
            kindle.put(((Number) c[0]).longValue(), new Backup.KindleEntry((String) c[1],
                    c[2] == null ? null : ((Number) c[2]).intValue(), c[3] == null ? null : ((Number) c[3]).intValue(),
                    c[4] instanceof java.sql.Timestamp t ? t.toLocalDateTime() : (java.time.LocalDateTime) c[4]));
        }

        List<Backup.BookEntry> books = new ArrayList<>();
        for (Book book : Book.<Book>list("ownerId = ?1 and deletedAt is null", Sort.by("id"), ownerId)) {
            List<Note> notes = bookNotes.getOrDefault(book.id, List.of());
            List<Backup.ReadingEntry> readingEntries = readings.getOrDefault(book.id, List.of()).stream()
                    .map(r -> new Backup.ReadingEntry(r.startedOn, r.finishedOn, r.status,
                            progress.getOrDefault(r.id, List.of()).stream()
                                    .map(p -> new Backup.ProgressEntry(p.onDate, p.page, p.percent)).toList()))
                    .toList();
            Review review = reviews.get(book.id);
            GoodreadsBook link = links.get(book.id);
            Backup.GoodreadsEntry goodreads = link == null ? null : new Backup.GoodreadsEntry(link.goodreadsId,
                    link.binding, link.yearPublished, link.originalYear, link.dateAdded, link.readCount, link.ownedCopies,
                    link.spoiler, indexOf(notes, link.reviewNoteId), indexOf(notes, link.privateNoteId),
                    link.syncedVersion != book.version);
            StoryGraphBook sg = storygraph.get(book.id);
            Backup.StoryGraphEntry storygraphEntry = sg == null ? null : new Backup.StoryGraphEntry(sg.uid,
                    sg.contributors, sg.format, List.copyOf(sg.moods), sg.pace, sg.characterOrPlot, sg.strongDevelopment,
                    sg.loveableCharacters, sg.diverseCharacters, sg.flawedCharacters, sg.contentWarnings,
                    sg.contentWarningDescription, sg.owned, sg.dateAdded, sg.readCount, indexOf(notes, sg.reviewNoteId),
                    sg.syncedVersion != book.version);
            books.add(new Backup.BookEntry(book.title, List.copyOf(book.authors), book.isbn13 == null ? null : book.isbn13.strip(),
                    book.pages, book.year, book.publisher, List.copyOf(book.tags), book.status, book.createdAt, readingEntries,
                    review == null ? null : new Backup.ReviewEntry(review.rating, review.text),
                    notes.stream().map(n -> note(n, List.of(), kindle.get(n.id))).toList(), goodreads, storygraphEntry));
        }

        Map<Long, List<String>> referencesByNote = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> refs = em.createNativeQuery(
                "select note_id, arxiv_id from paper_reference where owner_id = ?1 order by id")
                .setParameter(1, ownerId).getResultList();
        for (Object[] ref : refs) {
            referencesByNote.computeIfAbsent(((Number) ref[0]).longValue(), k -> new ArrayList<>()).add((String) ref[1]);
        }
        Map<Long, PaperBibtex> bibtex = PaperBibtex.<PaperBibtex>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(b -> b.paperId, Function.identity()));
        List<Backup.PaperEntry> papers = new ArrayList<>();
        for (Paper paper : Paper.<Paper>list("ownerId = ?1 and deletedAt is null", Sort.by("id"), ownerId)) {
            PaperBibtex b = bibtex.get(paper.id);
            papers.add(new Backup.PaperEntry(paper.title, List.copyOf(paper.authors), paper.arxivId, paper.arxivVersion,
                    paper.doi, paper.year, paper.url, paper.status, List.copyOf(paper.tags), paper.startedOn, paper.readOn,
                    paper.createdAt, b == null ? null : new Backup.BibtexEntry(b.citeKey, b.entryType, b.primaryClass),
                    paperNotes.getOrDefault(paper.id, List.of()).stream()
                            .map(n -> note(n, referencesByNote.getOrDefault(n.id, List.of()), null)).toList()));
        }

        Map<Long, List<LogItem>> items = LogItem.<LogItem>list("ownerId", Sort.by("logId").and("section").and("position"), ownerId)
                .stream().collect(Collectors.groupingBy(i -> i.logId));
        List<Backup.LogEntry> logs = DailyLog.<DailyLog>list("ownerId", Sort.by("date"), ownerId).stream()
                .map(log -> new Backup.LogEntry(log.date, items.getOrDefault(log.id, List.of()).stream()
                        .map(i -> new Backup.LogItemEntry(i.section, i.text, i.label, i.confidence, i.userLabel)).toList()))
                .toList();

        @SuppressWarnings("unchecked")
        List<Object[]> goalRows = em.createNativeQuery("select year, books from goal where owner_id = ?1 order by year")
                .setParameter(1, ownerId).getResultList();
        List<Backup.GoalEntry> goals = goalRows.stream()
                .map(g -> new Backup.GoalEntry(((Number) g[0]).intValue(), ((Number) g[1]).intValue())).toList();

        return new Backup(Backup.FORMAT, Backup.FORMAT_VERSION, books, papers, logs, goals);
    }

    private static Integer indexOf(List<Note> notes, Long noteId) {
        if (noteId == null) {
            return null;
        }
        for (int i = 0; i < notes.size(); i++) {
            if (notes.get(i).id.equals(noteId)) {
                return i;
            }
        }
        return null;
    }

    private static Backup.NoteEntry note(Note n, List<String> references, Backup.KindleEntry kindle) {
        return new Backup.NoteEntry(n.text, n.kind, n.page, n.label, n.confidence == null ? null : n.confidence.doubleValue(),
                n.userLabel, n.createdAt, references.isEmpty() ? null : references, n.deletedAt, kindle);
    }

    /** Restores a backup; {@code itemsDone} hears the count of top-level items (books, papers, logs, goals) done. */
    @Transactional
    public ImportResult restore(long ownerId, Backup backup, IntConsumer itemsDone) {
        EntityManager em = Book.getEntityManager();
        ImportResult.Tally tally = new ImportResult.Tally();
        int done = 0;

        Set<String> isbns = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (Book book : Book.<Book>list("ownerId = ?1 and deletedAt is null", ownerId)) {
            if (book.isbn13 != null) {
                isbns.add(book.isbn13.strip());
            }
            titles.add(ImportedBooks.titleAuthorKey(book.title, book.authors.isEmpty() ? null : book.authors.get(0)));
        }
        for (Backup.BookEntry entry : orEmpty(backup.books())) {
            List<String> authors = orEmpty(entry.authors());
            String key = ImportedBooks.titleAuthorKey(entry.title(), authors.isEmpty() ? null : authors.get(0));
            if ((entry.isbn13() != null && isbns.contains(entry.isbn13())) || titles.contains(key)) {
                tally.skipped++;
            } else {
                restoreBook(em, ownerId, entry);
                if (entry.isbn13() != null) {
                    isbns.add(entry.isbn13());
                }
                titles.add(key);
                tally.created++;
            }
            itemsDone.accept(++done);
        }

        for (Backup.PaperEntry entry : orEmpty(backup.papers())) {
            Doi doi;
            try {
                doi = entry.doi() == null ? null : Doi.parse(entry.doi());
            } catch (IllegalArgumentException e) {
                throw new BackupRefused("papers: '" + entry.title() + "' has doi " + e.getMessage());
            }
            boolean exists = (entry.arxivId() != null && Paper.findByArxivId(ownerId, entry.arxivId()).isPresent())
                    || (doi != null && Paper.findByDoi(ownerId, doi).isPresent())
                    || (entry.arxivId() == null && doi == null
                        && BibtexTransfer.sameTitleAndAuthor(ownerId, entry.title(), orEmpty(entry.authors())).isPresent());
            if (exists) {
                tally.skipped++;
            } else {
                restorePaper(em, ownerId, entry, paperReferences);
                tally.created++;
            }
            itemsDone.accept(++done);
        }

        for (Backup.LogEntry entry : orEmpty(backup.logs())) {
            if (DailyLog.count("ownerId = ?1 and date = ?2", ownerId, entry.date()) > 0) {
                tally.skipped++;
            } else {
                DailyLog log = new DailyLog();
                log.ownerId = ownerId;
                log.date = entry.date();
                log.updatedAt = OffsetDateTime.now(clock);
                log.persist();
                Map<String, Integer> positions = new HashMap<>();
                for (Backup.LogItemEntry i : orEmpty(entry.items())) {
                    LogItem item = new LogItem();
                    item.ownerId = ownerId;
                    item.logId = log.id;
                    item.section = i.section();
                    item.position = positions.merge(i.section(), 1, Integer::sum) - 1;
                    item.text = i.text();
                    item.label = i.label();
                    item.confidence = i.confidence();
                    item.userLabel = i.userLabel();
                    item.persist();
                }
                tally.created++;
            }
            itemsDone.accept(++done);
        }

        for (Backup.GoalEntry goal : orEmpty(backup.goals())) {
            int inserted = em.createNativeQuery(
                    "insert into goal (owner_id, year, books) values (?1, ?2, ?3) on conflict (owner_id, year) do nothing")
                    .setParameter(1, ownerId).setParameter(2, goal.year()).setParameter(3, goal.books()).executeUpdate();
            if (inserted == 1) {
                tally.created++;
            } else {
                tally.skipped++;
            }
            itemsDone.accept(++done);
        }
        return tally.result();
    }

    private void restoreBook(EntityManager em, long ownerId, Backup.BookEntry entry) {
        Book book = NewBooks.create(ownerId, new BookDetails(entry.title(), orEmpty(entry.authors()), entry.isbn13(),
                entry.pages(), entry.year(), entry.publisher(), orEmpty(entry.tags())), entry.status());
        for (Backup.ReadingEntry r : orEmpty(entry.readings())) {
            if (r.finishedOn() != null && r.finishedOn().isBefore(r.startedOn())) {
                throw new BackupRefused("books: '" + entry.title() + "' has a read-through finished (" + r.finishedOn()
                        + ") before it started (" + r.startedOn() + ")");
            }
            Reading reading = ReadThroughs.addReading(book, new ReadingDates(r.status(), r.startedOn(), r.finishedOn()));
            for (Backup.ProgressEntry p : orEmpty(r.progress())) {
                if ((p.page() == null) == (p.percent() == null)) {
                    throw new BackupRefused("books: '" + entry.title() + "' has progress on " + p.date()
                            + " with " + (p.page() == null ? "neither" : "both") + " page and percent; give exactly one");
                }
                ReadThroughs.addProgress(reading, p.date(), p.page(), p.percent());
            }
        }
        if (entry.review() != null) {
            double rating = entry.review().rating();
            if (rating * 4 != Math.floor(rating * 4)) {
                throw new BackupRefused("books: '" + entry.title() + "' has rating " + rating
                        + "; ratings go in quarter stars (StoryGraph's) or half stars");
            }
            Review.put(ownerId, book.id, null, rating, entry.review().text(), OffsetDateTime.now(clock));
        }
        List<Long> noteIds = new ArrayList<>();
        for (Backup.NoteEntry n : orEmpty(entry.notes())) {
            Note note = restoreNote(em, ownerId, n);
            note.bookId = book.id;
            note.persist();
            restoreCreatedAt(em, "note", note.id, n.createdAt());
            noteIds.add(note.id);
            if (n.kindle() != null) {
                em.createNativeQuery("insert into kindle_clipping (note_id, owner_id, book_id, kind, location_start,"
                                + " location_end, added_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                        .setParameter(1, note.id).setParameter(2, ownerId).setParameter(3, book.id)
                        .setParameter(4, n.kindle().kind()).setParameter(5, n.kindle().locationStart())
                        .setParameter(6, n.kindle().locationEnd()).setParameter(7, n.kindle().addedAt())
                        .executeUpdate();
            }
        }
        if (entry.storygraph() != null) {
            Backup.StoryGraphEntry g = entry.storygraph();
            StoryGraphBook link = new StoryGraphBook();
            link.uid = g.uid();
            link.contributors = g.contributors();
            link.format = g.format();
            link.moods = new ArrayList<>(orEmpty(g.moods()));
            link.pace = g.pace();
            link.characterOrPlot = g.characterOrPlot();
            link.strongDevelopment = g.strongDevelopment();
            link.loveableCharacters = g.loveableCharacters();
            link.diverseCharacters = g.diverseCharacters();
            link.flawedCharacters = g.flawedCharacters();
            link.contentWarnings = g.contentWarnings();
            link.contentWarningDescription = g.contentWarningDescription();
            link.owned = g.owned();
            restoreLink(link, ownerId, book, g.dateAdded(), g.readCount(), noteAt(noteIds, g.reviewNote()),
                    g.editedInLectern());
        }
        if (entry.goodreads() != null) {
            Backup.GoodreadsEntry g = entry.goodreads();
            GoodreadsBook link = new GoodreadsBook();
            link.goodreadsId = g.goodreadsId();
            link.binding = g.binding();
            link.yearPublished = g.yearPublished();
            link.originalYear = g.originalYear();
            link.ownedCopies = g.ownedCopies();
            link.spoiler = g.spoiler();
            link.privateNoteId = noteAt(noteIds, g.privateNote());
            restoreLink(link, ownerId, book, g.dateAdded(), g.readCount(), noteAt(noteIds, g.reviewNote()),
                    g.editedInLectern());
        }
        NewBooks.restoreCreatedAt(book, entry.createdAt());
    }

    /** What every import link keeps (goodreads_book, storygraph_book), then stored. */
    private void restoreLink(ImportedFrom link, long ownerId, Book book, java.time.LocalDate dateAdded, Integer readCount,
                             Long reviewNoteId, boolean editedInLectern) {
        link.bookId = book.id;
        link.ownerId = ownerId;
        link.dateAdded = dateAdded;
        link.readCount = readCount;
        link.reviewNoteId = reviewNoteId;
        link.syncedVersion = editedInLectern ? -1 : book.version;
        link.importedAt = OffsetDateTime.now(clock);
        link.persist();
    }

    private void restorePaper(EntityManager em, long ownerId, Backup.PaperEntry entry,
                                     lectern.papers.PaperReferences paperReferences) {
        Paper paper = new Paper();
        paper.ownerId = ownerId;
        paper.title = entry.title();
        paper.authors = new ArrayList<>(orEmpty(entry.authors()));
        paper.arxivId = entry.arxivId();
        paper.arxivVersion = entry.arxivVersion();
        paper.doi = entry.doi();
        paper.year = entry.year();
        paper.url = entry.url();
        paper.status = entry.status() == null ? PaperStatus.TO_READ : entry.status();
        paper.tags = new ArrayList<>(orEmpty(entry.tags()));
        paper.startedOn = entry.startedOn();
        paper.readOn = entry.readOn();
        paper.createdAt = entry.createdAt() != null ? entry.createdAt() : OffsetDateTime.now(clock);
        paper.updatedAt = OffsetDateTime.now(clock);
        paper.persist();
        if (entry.bibtex() != null) {
            PaperBibtex b = new PaperBibtex();
            b.paperId = paper.id;
            b.ownerId = ownerId;
            b.citeKey = entry.bibtex().key();
            b.entryType = entry.bibtex().type();
            b.primaryClass = entry.bibtex().primaryClass();
            b.persist();
        }
        for (Backup.NoteEntry n : orEmpty(entry.notes())) {
            Note note = restoreNote(em, ownerId, n);
            note.paperId = paper.id;
            note.persist();
            restoreCreatedAt(em, "note", note.id, n.createdAt());
            // References are what the note's text cites: the papers room finds them again, as for any new note.
            if (note.deletedAt == null) {
                paperReferences.scanNote(ownerId, paper.id, note.id, note.version, note.text);
            }
        }
    }

    private static Note restoreNote(EntityManager em, long ownerId, Backup.NoteEntry n) {
        Note note = new Note();
        note.ownerId = ownerId;
        note.text = n.text();
        note.kind = n.kind() == null ? NoteKind.idea : n.kind();
        note.page = n.page();
        note.label = n.label();
        note.confidence = n.confidence() == null ? null : n.confidence().floatValue();
        note.userLabel = n.userLabel();
        note.deletedAt = n.deletedAt(); // a note in the trash stays there
        return note;
    }

    /** created_at is set by the database on insert (and by entity callbacks); a restore keeps the original. */
    private static void restoreCreatedAt(EntityManager em, String table, long id, OffsetDateTime createdAt) {
        if (createdAt != null) {
            em.createNativeQuery("update " + table + " set created_at = ?1 where id = ?2")
                    .setParameter(1, createdAt).setParameter(2, id).executeUpdate();
        }
    }

    private static Long noteAt(List<Long> noteIds, Integer index) {
        return index == null || index < 0 || index >= noteIds.size() ? null : noteIds.get(index);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** A backup whose content the database would refuse: the whole restore is rolled back and answered with a 400. */
    public static class BackupRefused extends RuntimeException {
        public BackupRefused(String message) {
            super(message);
        }
    }
}
