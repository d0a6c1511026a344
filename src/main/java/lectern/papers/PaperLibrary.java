package lectern.papers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import lectern.api.ProblemException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.Predicate;

/**
 * A user's papers apart from HTTP, as {@link lectern.books.ReadThroughs} is for books: the fields are checked
 * ({@link PaperFields}), a second copy of an arXiv id or DOI is refused (under a lock per user, so that two racing
 * adds cannot both pass the check), and a paper moves through to-read, reading and read with the dates that go
 * with them. Callers hold a transaction.
 */
@ApplicationScoped
public class PaperLibrary {

    @Inject
    EntityManager entityManager;

    @Inject
    Clock clock;

    /** Adds a paper; a 409 naming the paper the library has when its arXiv id or DOI is there already. */
    public Paper add(long owner, PaperResource.CreatePaper body) {
        PaperFields fields = new PaperFields(clock);
        ArxivId arxivId = fields.arxivId(body.arxivId());
        Doi doi = fields.doi(body.doi());
        Integer year = fields.year(body.year());
        String url = fields.url(body.url());
        PaperStatus status = body.status() == null ? PaperStatus.TO_READ : body.status();
        arxivId = reconcile(fields, arxivId, doi);
        checkReadOn(fields, status, body.readOn());
        fields.throwIfAny();

        lockPapersOf(owner);
        refuseDuplicates(owner, null, arxivId, doi);
        Paper paper = new Paper();
        paper.ownerId = owner;
        paper.title = body.title().strip();
        paper.authors = PaperFields.authors(body.authors());
        setArxivId(paper, arxivId);
        paper.doi = doi == null ? null : doi.value();
        paper.year = year;
        paper.url = url;
        paper.tags = PaperFields.tags(body.tags());
        paper.createdAt = OffsetDateTime.now(clock);
        paper.updatedAt = paper.createdAt;
        moveTo(paper, status, body.readOn());
        paper.persistAndFlush();
        return paper;
    }

    /**
     * Changes the fields the client {@code sent} (a field left out stays; null clears an optional one); a stale
     * {@code version} is a 409.
     */
    public Paper change(long owner, long id, PaperResource.UpdatePaper body, Predicate<String> sent) {
        Paper paper = Paper.findOwned(owner, id);
        if (body.version() != paper.version) {
            throw ProblemException.staleVersion(body.version(), paper.version);
        }
        PaperFields fields = new PaperFields(clock);
        if (sent.test("title") && (body.title() == null || body.title().isBlank())) {
            fields.add("title", "must not be blank");
        }
        if (sent.test("status") && body.status() == null) {
            fields.add("status", "must be one of: " + PaperStatus.allowed());
        }
        ArxivId arxivId = sent.test("arxivId") ? fields.arxivId(body.arxivId()) : currentArxivId(paper);
        Doi doi = sent.test("doi") ? fields.doi(body.doi()) : currentDoi(paper);
        Integer year = sent.test("year") ? fields.year(body.year()) : paper.year;
        String url = sent.test("url") ? fields.url(body.url()) : paper.url;
        arxivId = reconcile(fields, arxivId, doi);
        PaperStatus status = body.status() == null ? paper.status : body.status();
        LocalDate readOn = sent.test("readOn") ? body.readOn() : null;
        checkReadOn(fields, status, readOn);
        fields.throwIfAny();

        lockPapersOf(owner);
        refuseDuplicates(owner, paper.id, arxivId, doi);
        if (sent.test("title")) {
            paper.title = body.title().strip();
        }
        if (sent.test("authors")) {
            paper.authors = PaperFields.authors(body.authors());
        }
        if (sent.test("tags")) {
            paper.tags = PaperFields.tags(body.tags());
        }
        if (!sameArxivId(arxivId, currentArxivId(paper))) {
            setArxivId(paper, arxivId);
        }
        paper.doi = doi == null ? null : doi.value();
        paper.year = year;
        paper.url = url;
        if (status != paper.status || readOn != null) {
            moveTo(paper, status, readOn);
        }
        paper.updatedAt = OffsetDateTime.now(clock);
        paper.persistAndFlush();
        return paper;
    }

    /** Deletes softly: the paper no longer shows, and its arXiv id may be added again. */
    public void delete(long owner, long id) {
        Paper.findOwned(owner, id).deletedAt = OffsetDateTime.now(clock);
    }
    /** Applies a status and the dates that go with it. */
    private void moveTo(Paper paper, PaperStatus status, LocalDate readOn) {
        LocalDate today = LocalDate.now(clock);
        switch (status) {
            case TO_READ -> {
                paper.startedOn = null;
                paper.readOn = null;
            }
            case READING -> {
                if (paper.status != PaperStatus.READING || paper.startedOn == null) {
                    paper.startedOn = today;
                }
                paper.readOn = null;
            }
            case READ -> paper.readOn = readOn != null ? readOn : (paper.status == PaperStatus.READ && paper.readOn != null
                    ? paper.readOn : today);
        }
        paper.status = status;
    }

    private void checkReadOn(PaperFields fields, PaperStatus status, LocalDate readOn) {
        if (readOn == null) {
            return;
        }
        if (status != PaperStatus.READ) {
            fields.add("readOn", "only applies when status is read");
        } else if (readOn.isAfter(LocalDate.now(clock))) {
            fields.add("readOn", "must not be in the future");
        }
    }

    /** An arXiv DOI names an arXiv id: use it when none was given, refuse it when it names another one. */
    private static ArxivId reconcile(PaperFields fields, ArxivId arxivId, Doi doi) {
        if (doi == null) {
            return arxivId;
        }
        var fromDoi = doi.arxivId();
        if (fromDoi.isEmpty()) {
            return arxivId;
        }
        if (arxivId == null) {
            return fromDoi.get();
        }
        if (!arxivId.id().equals(fromDoi.get().id())) {
            fields.add("doi", "is the DOI of arXiv:" + fromDoi.get().id() + " but arxivId is " + arxivId.id());
        }
        return arxivId;
    }

    private void refuseDuplicates(long owner, Long self, ArxivId arxivId, Doi doi) {
        if (arxivId != null) {
            Paper.findByArxivId(owner, arxivId.id()).filter(p -> !p.id.equals(self)).ifPresent(p -> {
                throw ProblemException.duplicate("arXiv:" + arxivId.id() + " is already in your library as paper " + p.id
                        + " (\"" + p.title + "\")", p.id);
            });
        }
        if (doi != null) {
            Paper.findByDoi(owner, doi).filter(p -> !p.id.equals(self)).ifPresent(p -> {
                throw ProblemException.duplicate("DOI " + doi.value() + " is already in your library as paper " + p.id
                        + " (\"" + p.title + "\")", p.id);
            });
        }
    }

    /** Serialises one user's paper writes, so that two racing adds of the same paper cannot both pass the check. */
    private void lockPapersOf(long owner) {
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended('lectern.papers', ?1))")
                .setParameter(1, owner).getSingleResult();
    }

    private static void setArxivId(Paper paper, ArxivId arxivId) {
        paper.arxivId = arxivId == null ? null : arxivId.id();
        paper.arxivVersion = arxivId == null ? null : arxivId.version();
    }

    private static boolean sameArxivId(ArxivId a, ArxivId b) {
        return a == null ? b == null : a.equals(b);
    }

    private static ArxivId currentArxivId(Paper paper) {
        return paper.arxivId == null ? null : new ArxivId(paper.arxivId, paper.arxivVersion);
    }

    private static Doi currentDoi(Paper paper) {
        return paper.doi == null ? null : new Doi(paper.doi);
    }
}
