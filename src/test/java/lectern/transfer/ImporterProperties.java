package lectern.transfer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the importers' parsers (issue: hardening), checked on many generated inputs (seeded, so a failure
 * repeats; the failing input is in the message): whatever bytes arrive, parsing answers with entries and failures (the
 * API's 200 with per-row failures) or the importer's own refusal (a 4xx), never anything else, and a bad entry never
 * costs a good one.
 */
class ImporterProperties {

    static final int TRIES = 500;
    static final String[] BROKEN = {"@misc{", "@@@", "@article{cut,\n  title = {Cut off before", "}}}}", "@(", "@{}",
            "@article{x, title = \"unclosed", "@book{y, title = {a} author = {b}}", "@comment{", "\\", "@string{a = ",
            "@inproceedings(p, title = \"A\"", "{{{", "@article{z,\n  title = {A {nested} one}}}"};
    static final String NOISE = "@{}(),=\"\\ \n\tab%#";

    static String good(int i) {
        return "@article{good" + i + ",\n  title = {Good Paper Number " + i + "},\n  author = {Doe, Jane and Roe, Rick},\n"
                + "  year = {20" + (10 + i % 10) + "}\n}";
    }

    static String randomText(Random rng, String alphabet, int max) {
        int n = rng.nextInt(max + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet != null ? alphabet.charAt(rng.nextInt(alphabet.length())) : (char) rng.nextInt(0x3000));
        }
        return b.toString();
    }

    static String garbage(Random rng) {
        return switch (rng.nextInt(3)) {
            case 0 -> BROKEN[rng.nextInt(BROKEN.length)];
            case 1 -> randomText(rng, null, 40);
            default -> randomText(rng, NOISE, 30);
        };
    }

    static String mutate(String text, Random rng) {
        int at = rng.nextInt(text.length() + 1);
        int deleted = rng.nextInt(30);
        String inserted = rng.nextBoolean() ? randomText(rng, NOISE, 8) : randomText(rng, null, 8);
        return text.substring(0, at) + inserted + text.substring(Math.min(text.length(), at + deleted));
    }

    @Test
    void bibtexNeverFailsAndEveryGoodEntryImports() {
        Random rng = new Random(20261202);
        for (int t = 0; t < TRIES; t++) {
            int goods = rng.nextInt(7);
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < goods; i++) {
                parts.add(good(i));
            }
            for (int i = rng.nextInt(7); i > 0; i--) {
                parts.add(garbage(rng));
            }
            Collections.shuffle(parts, rng);
            String text = String.join("\n\n", parts);
            BibtexFile.ParsedFile file = BibtexFile.parse(text);
            Set<String> keys = file.entries().stream().map(BibtexFile.Entry::key).collect(Collectors.toSet());
            for (int i = 0; i < goods; i++) {
                assertTrue(keys.contains("good" + i), "good" + i + " lost in:\n" + text);
            }
            assertTrue(file.failures().stream().allMatch(f -> f.line() != null && f.line() >= 1), file.failures().toString());
        }
    }

    @Test
    void bibtexMutationsNeverThrow() {
        Random rng = new Random(7);
        String text = good(1) + "\n\n" + good(2) + "\n\n" + good(3);
        for (int t = 0; t < TRIES; t++) {
            String mutated = mutate(text, rng);
            try {
                BibtexFile.parse(mutated);
            } catch (RuntimeException e) {
                throw new AssertionError("threw on:\n" + mutated, e);
            }
        }
    }

    static final String GOODREADS = "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,"
            + "Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,"
            + "Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,"
            + "Read Count,Owned Copies\n"
            + "1,The Name of the Rose,Umberto Eco,\"Eco, Umberto\",,=\"\",=\"\",5,4.1,Harcourt,Paperback,512,1994,1980,"
            + "2024/01/02,2023/12/01,,,read,,,,1,0\n"
            + "2,\"Middlemarch, a Study\",George Eliot,\"Eliot, George\",,,,0,3.9,Penguin,Paperback,880,2003,1871,,"
            + "2024/02/01,to-read,to-read (#1),to-read,,,,0,0\n"
            + "3,Dune,Frank Herbert,\"Herbert, Frank\",,,,4,4.3,Ace,Paperback,604,1990,1965,2024/03/01,2024/02/20,,,read,,,,1,0\n";

    @Test
    void goodreadsCsvAnswersRowsOrRefusesAndABadRowCostsOnlyItself() {
        Random rng = new Random(11);
        String[] lines = GOODREADS.split("\n");
        for (int t = 0; t < TRIES; t++) {
            String mutated = mutate(GOODREADS, rng);
            try {
                GoodreadsCsv.parse(mutated);
            } catch (GoodreadsCsv.NotGoodreadsException | lectern.api.ProblemException refused) {
                // the importer's 4xx: "this is not a Goodreads export"
            } catch (RuntimeException e) {
                throw new AssertionError("threw on:\n" + mutated, e);
            }
            // one broken row (a mutated line 2) between good ones: the good ones are still read
            String brokenMiddle = lines[0] + "\n" + lines[1] + "\n" + mutate(lines[2], rng).replace("\n", " ") + "\n" + lines[3] + "\n";
            GoodreadsCsv.ParsedFile file = GoodreadsCsv.parse(brokenMiddle);
            Set<String> titles = file.rows().stream().map(GoodreadsRow::title).collect(Collectors.toSet());
            assertTrue(titles.contains("The Name of the Rose") && titles.contains("Dune"), "lost a good row in:\n" + brokenMiddle
                    + "\nread: " + titles + "\nfailures: " + file.failures());
        }
    }
}
