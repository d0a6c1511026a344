package lectern.logs;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogMarkdownTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 29);

    @Test
    void rendersHeadingsAndItemsLeavingOutEmptySections() {
        ParsedLog log = new ParsedLog(List.of("a", "b"), List.of(), List.of("d"), List.of("e"));
        assertEquals("""
                # 2026-11-29

                ## Finished
                - a
                - b

                ## Plan for today
                - d

                ## Other
                - e
                """, LogMarkdown.render(DAY, log));
    }

    @Test
    void anEmptyLogIsJustTheDate() {
        assertEquals("# 2026-11-29\n", LogMarkdown.render(DAY, ParsedLog.EMPTY));
        assertEquals(ParsedLog.EMPTY, LogParser.parse(LogMarkdown.render(DAY, ParsedLog.EMPTY)));
    }

    @Test
    void theIssueExampleRoundTrips() {
        ParsedLog log = LogParser.parse(LogParserTest.ML_GRIND_EXAMPLE);
        assertEquals(8, log.size());
        assertEquals(log, LogParser.parse(LogMarkdown.render(DAY, log)));
    }

    @Test
    void itemsThatLookLikeStructureRoundTrip() {
        List<String> tricky = List.of(
                "Finished:", "Plan for today: > read", "## Finished", "# 2026-11-30", "**Done:**", "- nested dash",
                "* star", "1. numbered", "> quoted", "[x] looks like a task box", "[ ] an open one", "[X]",
                "\\[x] already escaped", "---", "===", "a > b", "<> and ->", "[ML Grind] Finished: > a > b",
                "Today", "Other", "Notes:", "C#", "#hashtag", "trailing colon:", "🚀 emoji 👨‍👩‍👧", "tab\there",
                "[link](https://example.org)", "x  y   z");
        ParsedLog log = new ParsedLog(tricky, List.of("Working on"), tricky, tricky);
        assertEquals(log, LogParser.parse(LogMarkdown.render(DAY, log)));
    }

    @Test
    void randomLogsRoundTrip() {
        Random random = new Random(20261129);
        String[] words = {"read", "chapter", "Finished", "done", "plan", "Plan for today:", "today", "next:",
                "Have been working on:", ">", "<>", "->", ">=", "-", "*", "+", "1.", "2)", "#", "##", "[x]", "[ ]",
                "[tag]", "**", "__", ":", "---", "===", "\\", "`code`", "(paper)", "é", "Ōkami", "读", "🚀",
                "👨‍👩‍👧", "\t", "arXiv:1706.03762", "a>b", "x", "Other", "Notes"};
        for (int trial = 0; trial < 2000; trial++) {
            List<List<String>> sections = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                List<String> items = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    StringBuilder item = new StringBuilder();
                    int len = 1 + random.nextInt(8);
                    for (int w = 0; w < len; w++) {
                        item.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? "" : " ");
                    }
                    items.add(item.toString());
                }
                sections.add(items);
            }
            ParsedLog log = new ParsedLog(sections.get(0), sections.get(1), sections.get(2), sections.get(3));
            String markdown = LogMarkdown.render(DAY, log);
            assertEquals(log, LogParser.parse(markdown), markdown);
        }
    }

    @Test
    void canonicalItemsDropEmptiesAndJoinLines() {
        ParsedLog log = new ParsedLog(List.of("  a  ", "", "   ", "line one  \r\n   line two\nthree"), null, List.of(),
                List.of("x"));
        assertEquals(List.of("a", "line one line two three"), log.finished());
        assertEquals(List.of(), log.workingOn());
        assertEquals(log, LogParser.parse(LogMarkdown.render(DAY, log)));
    }

    @Test
    void needsADateAndALog() {
        assertThrows(NullPointerException.class, () -> LogMarkdown.render(null, ParsedLog.EMPTY));
        assertThrows(NullPointerException.class, () -> LogMarkdown.render(DAY, null));
    }
}
