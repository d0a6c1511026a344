package lectern.transfer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import lectern.papers.Doi;
import lectern.papers.Paper;

import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Papers in and out as BibTeX. An entry is the same paper as one in the library (or earlier in the file) when
 * its arXiv id or its DOI is the same; then it only fills what the paper lacks (DOI, URL, year, authors), so
 * importing a file twice changes nothing and never overwrites what the user edited in Lectern.
 */
@ApplicationScoped
public class BibtexTransfer {

    @Inject
    Clock clock;

    private static final int MIN_YEAR = 1000;

    public ImportResult importBib(long ownerId, String text) {
        BibtexFile.ParsedFile file = BibtexFile.parse(text);
        ImportResult.Tally tally = new ImportResult.Tally();
        tally.failed.addAll(file.failures());
        tally.skipped += file.skipped();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (BibtexFile.Entry entry : file.entries()) {
                    count(tally, importEntry(ownerId, entry));
                }
            });
        } catch (RuntimeException batchFailed) {
            // Something no check foresaw broke the file's transaction: redo entry by entry to name it.
            ImportResult.Tally retry = new ImportResult.Tally();
            retry.failed.addAll(file.failures());
            retry.skipped += file.skipped();
            for (BibtexFile.Entry entry : file.entries()) {
                try {
                    count(retry, QuarkusTransaction.requiringNew().call(() -> importEntry(ownerId, entry)));
                } catch (RuntimeException e) {
                    retry.failed.add(ImportResult.Failure.line(entry.line(), "@" + entry.type() + "{" + entry.key()
                            + "} could not be saved: " + String.valueOf(e.getMessage()).split("\\R", 2)[0]));
                }
            }
            return retry.result();
        }
        return tally.result();
    }

    private static void count(ImportResult.Tally tally, Boolean outcome) {
        if (outcome == null) {
            tally.created++;
        } else if (outcome) {
            tally.updated++;
        } else {
            tally.skipped++;
        }
    }

    /** null: created; true: an existing paper was completed; false: nothing to change. */
    private Boolean importEntry(long ownerId, BibtexFile.Entry entry) {
        Optional<Paper> existing = Optional.empty();
        if (entry.arxivId() != null) {
            existing = Paper.findByArxivId(ownerId, entry.arxivId().id());
        }
        if (existing.isEmpty() && entry.doi() != null) {
            existing = Paper.findByDoi(ownerId, entry.doi());
        }
        if (existing.isEmpty() && entry.arxivId() == null && entry.doi() == null) {
            existing = sameTitleAndAuthor(ownerId, entry.title(), entry.authors());
        }
        if (existing.isPresent()) {
            return complete(existing.get(), entry);
        }
        Paper paper = new Paper();
        paper.ownerId = ownerId;
        paper.title = entry.title();
        paper.authors = new ArrayList<>(entry.authors());
        if (entry.arxivId() != null) {
            paper.arxivId = entry.arxivId().id();
            paper.arxivVersion = entry.arxivId().version();
        }
        paper.doi = doiIfFree(ownerId, entry.doi());
        paper.year = plausibleYear(entry.year());
        paper.url = ownUrl(entry);
        paper.createdAt = OffsetDateTime.now(clock);
        paper.updatedAt = paper.createdAt;
        paper.persist();
        PaperBibtex bibtex = new PaperBibtex();
        bibtex.paperId = paper.id;
        bibtex.ownerId = ownerId;
        bibtex.citeKey = shorten(entry.key(), 200);
        bibtex.entryType = shorten(entry.type(), 20);
        bibtex.primaryClass = shorten(entry.primaryClass(), 40);
        bibtex.persist();
        return null;
    }

    /** A paper with neither arXiv id nor DOI (a book, an old article) is known by its title and first author. */
    static Optional<Paper> sameTitleAndAuthor(long ownerId, String title, List<String> authors) {
        String key = ImportedBooks.titleAuthorKey(title, authors.isEmpty() ? null : authors.get(0));
        return Paper.<Paper>list("ownerId = ?1 and deletedAt is null and lower(title) = ?2", ownerId,
                        title.toLowerCase(Locale.ROOT)).stream()
                .filter(p -> ImportedBooks.titleAuthorKey(p.title, p.authors.isEmpty() ? null : p.authors.get(0)).equals(key))
                .findFirst();
    }

    private Boolean complete(Paper paper, BibtexFile.Entry entry) {
        boolean changed = false;
        if (paper.arxivId == null && entry.arxivId() != null
                && Paper.findByArxivId(paper.ownerId, entry.arxivId().id()).isEmpty()) {
            paper.arxivId = entry.arxivId().id();
            paper.arxivVersion = entry.arxivId().version();
            changed = true;
        }
        if (paper.doi == null && entry.doi() != null && doiIfFree(paper.ownerId, entry.doi()) != null) {
            paper.doi = entry.doi().value();
            changed = true;
        }
        if (paper.url == null && ownUrl(entry) != null) {
            paper.url = ownUrl(entry);
            changed = true;
        }
        if (paper.year == null && plausibleYear(entry.year()) != null) {
            paper.year = plausibleYear(entry.year());
            changed = true;
        }
        if (paper.authors.isEmpty() && !entry.authors().isEmpty()) {
            paper.authors = new ArrayList<>(entry.authors());
            changed = true;
        }
        PaperBibtex bibtex = PaperBibtex.findById(paper.id);
        if (bibtex == null) {
            bibtex = new PaperBibtex();
            bibtex.paperId = paper.id;
            bibtex.ownerId = paper.ownerId;
            bibtex.citeKey = shorten(entry.key(), 200);
            bibtex.entryType = shorten(entry.type(), 20);
            bibtex.primaryClass = shorten(entry.primaryClass(), 40);
            bibtex.persist();
        } else if (bibtex.primaryClass == null && entry.primaryClass() != null) {
            bibtex.primaryClass = shorten(entry.primaryClass(), 40);
            changed = true;
        }
        if (changed) {
            paper.updatedAt = OffsetDateTime.now(clock);
        }
        return changed;
    }

    /** The entry's URL, unless it is only the arXiv page of the paper's own id (Lectern derives that one). */
    private static String ownUrl(BibtexFile.Entry entry) {
        String url = shorten(entry.url(), 2000);
        if (url != null && entry.arxivId() != null && url.matches("(?i)https?://(www\\.)?arxiv\\.org/abs/"
                + java.util.regex.Pattern.quote(entry.arxivId().id()) + "(v\\d+)?/?")) {
            return null;
        }
        return url;
    }

    private static String doiIfFree(long ownerId, Doi doi) {
        if (doi == null || Paper.findByDoi(ownerId, doi).isPresent()) {
            return null;
        }
        return doi.value();
    }

    private Integer plausibleYear(Integer year) {
        return year != null && year >= MIN_YEAR && year <= LocalDate.now(clock).getYear() + 1 ? year : null;
    }

    private static String shorten(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** The library in arXiv's BibTeX style, papers in the order they were added. */
    public String exportBib(long ownerId) {
        List<Paper> papers = Paper.list("ownerId = ?1 and deletedAt is null", Sort.by("id"), ownerId);
        Map<Long, PaperBibtex> bibtex = PaperBibtex.<PaperBibtex>list("ownerId", ownerId).stream()
                .collect(Collectors.toMap(b -> b.paperId, Function.identity()));
        Set<String> keys = new HashSet<>();
        List<BibtexFile.ExportEntry> entries = new ArrayList<>();
        for (Paper paper : papers) {
            PaperBibtex known = bibtex.get(paper.id);
            String key = known != null && known.citeKey != null && !known.citeKey.isBlank() ? known.citeKey : citeKey(paper);
            String unique = key;
            for (char suffix = 'a'; !keys.add(unique.toLowerCase(Locale.ROOT)); suffix++) {
                unique = key + suffix;
            }
            entries.add(new BibtexFile.ExportEntry(unique, paper.title, paper.authors, paper.year, paper.arxivId,
                    paper.arxivVersion, paper.doi, paper.url, known == null ? null : known.primaryClass));
        }
        return BibtexFile.write(entries);
    }

    /** Google Scholar's shape: first author's last name, year, first long word of the title ("vaswani2017attention"). */
    static String citeKey(Paper paper) {
        String author = paper.authors.isEmpty() ? "anon" : paper.authors.get(0);
        String last = author.contains(" ") ? author.substring(author.lastIndexOf(' ') + 1) : author;
        String word = java.util.Arrays.stream(paper.title.split("\\s+"))
                .map(BibtexTransfer::asciiLetters)
                .filter(w -> w.length() > 3)
                .findFirst().orElse("paper");
        String key = asciiLetters(last) + (paper.year == null ? "" : paper.year.toString()) + word;
        return Objects.equals(key, "") ? "paper" + paper.id : key;
    }

    private static String asciiLetters(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
