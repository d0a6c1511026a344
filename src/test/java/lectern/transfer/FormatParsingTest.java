package lectern.transfer;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static lectern.transfer.GoodreadsCsvTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StoryGraph CSV and Kindle clippings read without a server, and every import format told apart by content. */
class FormatParsingTest {

    @Test
    void storyGraphRowsKeepAuthorsApartFromContributorsExactRatingsAndEveryRange() {
        StoryGraphCsv.ParsedFile file = StoryGraphCsv.parse(fixture("storygraph-export.csv"));
        assertEquals(List.of(), file.failures());
        assertEquals(7, file.rows().size());

        StoryGraphRow dune = file.rows().get(0);
        assertEquals(2, dune.row());
        assertEquals(List.of("Frank Herbert"), dune.authors());
        assertEquals(new BigDecimal("4.25"), dune.starRating());
        assertEquals(List.of(
                new StoryGraphRow.ReadRange(LocalDate.of(2023, 1, 5), LocalDate.of(2023, 1, 20)),
                new StoryGraphRow.ReadRange(LocalDate.of(2024, 6, 1), LocalDate.of(2024, 6, 15))), dune.datesRead());
        assertEquals(List.of("adventurous", "challenging", "reflective"), dune.moods());
        assertEquals("A desert planet, and the spice.\nBetter the second time.", dune.review());

        StoryGraphRow omens = file.rows().get(1);
        assertEquals(List.of("Terry Pratchett", "Neil Gaiman"), omens.authors());
        assertEquals("Stephen Briggs (Narrator)", omens.contributors());
        assertEquals(new BigDecimal("3.75"), omens.starRating());

        StoryGraphRow hailMary = file.rows().get(3);
        assertEquals(List.of(new StoryGraphRow.ReadRange(LocalDate.of(2024, 6, 20), null)), hailMary.datesRead(),
                "an open range is the read-through going on");
        assertEquals("did-not-finish", file.rows().get(4).readStatus());
        assertNull(file.rows().get(5).starRating());
    }

    @Test
    void badStoryGraphRowsAreReportedAndTheOthersRead() {
        StoryGraphCsv.ParsedFile file = StoryGraphCsv.parse(fixture("storygraph-bad-rows.csv"));
        assertEquals(List.of("Good Book One", "Good Book Two"), file.rows().stream().map(StoryGraphRow::title).toList());
        assertEquals(List.of(3, 4, 5), file.failures().stream().map(ImportResult.Failure::row).toList());
        assertTrue(file.failures().get(0).message().contains("Star Rating '4.3'"), file.failures().get(0).message());
        assertTrue(file.failures().get(1).message().contains("Read Status 'reading-soon'"), file.failures().get(1).message());
        assertTrue(file.failures().get(2).message().contains("ends before it starts"), file.failures().get(2).message());
    }

    @Test
    void storyGraphRangesInEveryFormAndQuarterStarsOnly() {
        assertEquals(List.of(new StoryGraphRow.ReadRange(LocalDate.of(2023, 1, 5), LocalDate.of(2023, 1, 5))),
                StoryGraphCsv.ranges("2023/01/05"), "one date: started and finished that day");
        assertEquals(List.of(new StoryGraphRow.ReadRange(null, LocalDate.of(2023, 1, 20))), StoryGraphCsv.ranges("-2023/01/20"));
        assertEquals(List.of(new StoryGraphRow.ReadRange(LocalDate.of(2023, 1, 5), LocalDate.of(2023, 1, 20))),
                StoryGraphCsv.ranges("2023-01-05-2023-01-20"));
        assertEquals(2, StoryGraphCsv.ranges("2024/02/01-2024/02/11, 2023/01/05-2023/01/20").size());
        assertEquals(LocalDate.of(2023, 1, 5), StoryGraphCsv.ranges("2024/02/01-2024/02/11, 2023/01/05-2023/01/20").get(0).started(),
                "oldest first");
        assertEquals(new BigDecimal("0.25"), StoryGraphCsv.rating("0.25"));
        assertEquals(new BigDecimal("5.0"), StoryGraphCsv.rating("5.0"));
        assertNull(StoryGraphCsv.rating("0"));
        for (String bad : List.of("4.3", "4.125", "5.25", "six", "-1")) {
            try {
                StoryGraphCsv.rating(bad);
                throw new AssertionError(bad + " was taken");
            } catch (CsvRecords.BadCellException expected) {
                assertTrue(expected.getMessage().contains(bad));
            }
        }
    }

    @Test
    void kindleClippingsWithEveryQuirk() {
        KindleClippings.ParsedFile file = KindleClippings.parse(fixture("kindle-my-clippings.txt"));
        List<KindleClippings.Clipping> clippings = file.clippings();
        assertEquals(4, clippings.size(), clippings.toString());
        assertEquals(1, file.bookmarks());
        assertEquals(1, file.editedAway(), "the first version of the extended highlight");

        KindleClippings.Clipping litany = clippings.get(0);
        assertEquals("Dune (Dune Chronicles Book 1)", litany.title(), "the author is the last parentheses, the BOM is gone");
        assertEquals(List.of("Frank Herbert"), litany.authors());
        assertEquals(KindleClippings.Kind.highlight, litany.kind());
        assertEquals(12, litany.page());
        assertEquals(170, litany.locationStart());
        assertEquals(174, litany.locationEnd());
        assertTrue(litany.text().endsWith("total obliteration."), "the later, longer version is kept");
        assertEquals(LocalDateTime.of(2020, 3, 3, 14, 6, 40), litany.addedAt());

        KindleClippings.Clipping note = clippings.get(1);
        assertEquals(KindleClippings.Kind.note, note.kind());
        assertNull(note.page());
        assertEquals(45, note.locationStart());
        assertEquals("Remember the litany before exams.", note.text());

        KindleClippings.Clipping craft = clippings.get(2);
        assertEquals("The Pragmatic Programmer: From Journeyman to Master", craft.title());
        assertEquals(List.of("Andrew Hunt", "David Thomas"), craft.authors());
        assertEquals(1702, craft.locationStart());
        assertEquals(1705, craft.locationEnd(), "older Kindles shorten the end of a range");
        assertEquals(LocalDateTime.of(2020, 3, 3, 14, 5), craft.addedAt());

        KindleClippings.Clipping personal = clippings.get(3);
        assertEquals("lectern-design-notes", personal.title());
        assertEquals(List.of(), personal.authors(), "a personal document has no author");
        assertEquals(3, personal.page());
        assertEquals(LocalDateTime.of(2020, 3, 2, 9, 15, 2), personal.addedAt());

        assertEquals(2, file.failures().size(), file.failures().toString());
        assertEquals(31, file.failures().get(0).line());
        assertTrue(file.failures().get(0).message().contains("English"), file.failures().get(0).message());
        assertEquals(36, file.failures().get(1).line());
        assertTrue(file.failures().get(1).message().contains("clipping limit"), file.failures().get(1).message());
    }

    @Test
    void aPersonalDocumentsParenthesesAreNoAuthor() {
        assertTrue(KindleClippings.namesAuthors("Frank Herbert"));
        assertTrue(KindleClippings.namesAuthors("Herbert, Frank"));
        assertTrue(KindleClippings.namesAuthors("bell hooks"));
        assertTrue(KindleClippings.namesAuthors("Plato"));
        assertTrue(!KindleClippings.namesAuthors("final"), "Report (final)");
        assertTrue(!KindleClippings.namesAuthors("v2"));
        assertTrue(!KindleClippings.namesAuthors("Dune Chronicles Book 1"), "a series without its author");
    }

    @Test
    void everyFormatIsToldApartByItsContent() {
        assertEquals(ImportFormat.GOODREADS, ImportFormat.recognize(fixture("goodreads-classic-31.csv")));
        assertEquals(ImportFormat.GOODREADS, ImportFormat.recognize(fixture("goodreads-newest-23-padded.csv")));
        assertEquals(ImportFormat.GOODREADS, ImportFormat.recognize(fixture("goodreads-no-header-24.csv")));
        assertEquals(ImportFormat.STORYGRAPH, ImportFormat.recognize(fixture("storygraph-export.csv")));
        assertEquals(ImportFormat.KINDLE, ImportFormat.recognize(fixture("kindle-my-clippings.txt")));
        assertEquals(ImportFormat.BIBTEX, ImportFormat.recognize(fixture("papers.bib")));
        assertEquals(ImportFormat.BACKUP, ImportFormat.recognize("{\n  \"format\" : \"lectern-backup\",\n  \"formatVersion\" : 1}"));
        assertNull(ImportFormat.recognize("just some notes\nof mine"));
        assertNull(ImportFormat.recognize(""));
        assertNull(ImportFormat.recognize("{\"title\": \"not a backup\"}"));
    }
}
