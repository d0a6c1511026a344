package lectern.transfer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoodreadsCsvTest {

    static String fixture(String name) {
        try (InputStream in = GoodreadsCsvTest.class.getResourceAsStream("/lectern/transfer/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void classicLayoutWithFormulaIsbnsQuotesAndScripts() {
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(fixture("goodreads-classic-31.csv"));
        assertEquals(List.of(), file.failures());
        assertEquals(5, file.rows().size());

        GoodreadsRow narnia = file.rows().get(0);
        assertEquals(2, narnia.row(), "the header is row 1");
        assertEquals("65605", narnia.bookId());
        assertEquals("The Voyage of the \"Dawn Treader\" (Chronicles of Narnia, #3)", narnia.title());
        assertEquals("0064405028", narnia.isbn());
        assertEquals("9780064405027", narnia.isbn13());
        assertEquals(4, narnia.myRating());
        assertEquals(LocalDate.of(2020, 10, 25), narnia.dateRead());
        assertEquals(LocalDate.of(2019, 1, 3), narnia.dateAdded());
        assertEquals(List.of("fantasy"), narnia.customShelves());
        assertEquals(2, narnia.readCount());
        assertEquals("Borrowed from the library", narnia.privateNotes());

        GoodreadsRow carr = file.rows().get(1);
        assertNull(carr.isbn(), "=\"\" is an empty ISBN");
        assertNull(carr.isbn13());
        assertEquals("to-read", carr.exclusiveShelf());

        GoodreadsRow arabic = file.rows().get(2);
        assertEquals("مذكرات عبد أمريكي", arabic.title());
        assertEquals(List.of("فريدريك دوجلاس", "إبراهيم عبد المجيد"), arabic.additionalAuthors());

        GoodreadsRow japanese = file.rows().get(3);
        assertEquals("Hōjōki: Visions of a Torn World", japanese.title());
        assertEquals("Kamo no Chōmei", japanese.author());
        assertEquals(LocalDate.of(2021, 3, 7), japanese.dateRead(), "single-digit month and day");

        GoodreadsRow gaveUp = file.rows().get(4);
        assertEquals(List.of("literature"), gaveUp.customShelves(), "a status-like exclusive shelf is not a tag");
        assertEquals(lectern.books.BookStatus.abandoned, GoodreadsShelves.status(gaveUp.exclusiveShelf()));
    }

    @Test
    void newestLayoutPaddedWithSpacesBeforeQuotes() {
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(fixture("goodreads-newest-23-padded.csv"));
        assertEquals(List.of(), file.failures());
        assertEquals(2, file.rows().size());
        GoodreadsRow raintree = file.rows().get(0);
        assertEquals("257233", raintree.bookId());
        assertEquals("Raintree County", raintree.title());
        assertEquals("014023666X", raintree.isbn());
        assertEquals("9780140236668", raintree.isbn13());
        assertEquals(3, raintree.myRating());
        assertEquals("Penguin Books", raintree.publisher());
        assertEquals(1088, raintree.pages());
        assertEquals(1948, raintree.originalPublicationYear());
        assertEquals("read", raintree.exclusiveShelf());
        assertEquals(LocalDate.of(2024, 6, 23), raintree.dateRead());
        assertEquals("The Boys in the Boat: Nine Americans, and Their Quest", file.rows().get(1).title(),
                "a comma inside a padded quoted cell");
    }

    @Test
    void fileWithoutHeaderIsReadByItsShape() {
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(fixture("goodreads-no-header-24.csv"));
        assertEquals(List.of(), file.failures());
        assertEquals("no header, 24 columns", file.layout());
        assertEquals(2, file.rows().size());
        GoodreadsRow poems = file.rows().get(1);
        assertEquals(2, poems.row(), "without a header the first row is row 1");
        assertEquals("A Poem for Every Autumn Day", poems.title());
        assertEquals("1529045223", poems.isbn(), "plain ISBNs without the = wrapper");
        assertEquals(2, poems.myRating());
        assertEquals("This was fine.\n\nGoing to try the winter one next.", GoodreadsMarkup.toText(poems.myReview()));
        assertEquals(List.of("owned-to-read"), file.rows().get(0).customShelves());
    }

    @Test
    void unknownShapeWithoutHeaderIsRefusedClearly() {
        GoodreadsCsv.NotGoodreadsException e = assertThrows(GoodreadsCsv.NotGoodreadsException.class,
                () -> GoodreadsCsv.parse("a,b,c\n1,2,3\n"));
        assertTrue(e.getMessage().contains("no header row"), e.getMessage());
        assertThrows(GoodreadsCsv.NotGoodreadsException.class, () -> GoodreadsCsv.parse(""));
    }

    @Test
    void badRowsAreReportedWithTheirRowNumberAndTheRestIsRead() {
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(fixture("goodreads-bad-rows.csv"));
        assertEquals(List.of("Good Book One", "Good Book Two"), file.rows().stream().map(GoodreadsRow::title).toList());
        List<Integer> failedRows = file.failures().stream().map(ImportResult.Failure::row).toList();
        assertEquals(List.of(3, 4, 5, 6, 7), failedRows);
        assertTrue(file.failures().get(0).message().contains("My Rating 'seven'"), file.failures().get(0).message());
        assertTrue(file.failures().get(1).message().contains("has 3 columns"), file.failures().get(1).message());
        assertTrue(file.failures().get(3).message().contains("Date Read '25.10.2020'"), file.failures().get(3).message());
        assertTrue(file.failures().get(4).message().contains("empty Title"), file.failures().get(4).message());
    }

    @Test
    void aQuoteLeftOpenIsReportedAndDoesNotSwallowTheFile() {
        String header = String.join(",", GoodreadsCsv.LAYOUT_23);
        String good = "9,Fine,A B,\"B, A\",,,,0,,,,,,,,,,to-read,,,,0,0";
        String text = header + "\n" + "8,\"Never closed,A B,,,,,0,,,,,,,,,,to-read,,,,0,0\n" + good + "\n";
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(text);
        assertEquals(1, file.failures().size());
        assertEquals(2, file.failures().get(0).row());
        assertEquals(List.of("Fine"), file.rows().stream().map(GoodreadsRow::title).toList());
    }

    @Test
    void aQuotedCellMayHoldLineBreaks() {
        String header = String.join(",", GoodreadsCsv.LAYOUT_23);
        String text = header + "\n9,\"Two\nLines\",A B,\"B, A\",,,,0,,,,,,,,,,to-read,,,,0,0\n";
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(text);
        assertEquals(List.of(), file.failures());
        assertEquals("Two\nLines", file.rows().get(0).title());
    }

    @Test
    void reviewsOfThousandsOfCharactersWithLinkMarkup() {
        String paragraph = "Compare [b:Replay|341735|Replay|Ken Grimwood|https://images.example/341735.jpg|1804797] "
                + "and [a:Kurt Vonnegut|2778055|Kurt Vonnegut|https://images.example/a.jpg] — \"quoted\" words.<br/>";
        String review = paragraph.repeat(40);
        assertTrue(review.length() > 5000);
        String header = String.join(",", GoodreadsCsv.LAYOUT_23);
        String row = "9,Timequake,Kurt Vonnegut,\"Vonnegut, Kurt\",,,,4,,,,,,,,,,read,\""
                + review.replace("\"", "\"\"") + "\",,,1,0";
        GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(header + "\n" + row + "\n");
        assertEquals(List.of(), file.failures());
        String text = GoodreadsMarkup.toText(file.rows().get(0).myReview());
        assertTrue(text.startsWith("Compare Replay and Kurt Vonnegut — \"quoted\" words.\nCompare Replay"), text);
        assertFalse(text.contains("[b:") || text.contains("<br"), text);
        assertEquals(39, text.chars().filter(c -> c == '\n').count());
    }

    @Test
    void writtenFilesReadBackToTheSameRows() {
        GoodreadsCsv.ParsedFile original = GoodreadsCsv.parse(fixture("goodreads-classic-31.csv"));
        String written = GoodreadsCsv.write(original.rows());
        assertTrue(written.startsWith(String.join(",", GoodreadsCsv.LAYOUT_23) + "\n"), written);
        assertTrue(written.contains("\"=\"\"0064405028\"\"\""), "ISBNs in Goodreads' formula form");
        GoodreadsCsv.ParsedFile again = GoodreadsCsv.parse(written);
        assertEquals(List.of(), again.failures());
        assertEquals(original.rows().size(), again.rows().size());
        for (int i = 0; i < original.rows().size(); i++) {
            GoodreadsRow a = original.rows().get(i);
            GoodreadsRow b = again.rows().get(i);
            assertEquals(a.bookId(), b.bookId());
            assertEquals(a.title(), b.title());
            assertEquals(a.additionalAuthors(), b.additionalAuthors());
            assertEquals(a.isbn13(), b.isbn13());
            assertEquals(a.dateRead(), b.dateRead());
            assertEquals(a.myReview(), b.myReview());
            assertEquals(a.customShelves(), b.customShelves());
            assertEquals(a.readCount(), b.readCount());
        }
    }
}
