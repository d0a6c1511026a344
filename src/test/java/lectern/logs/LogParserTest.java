package lectern.logs;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogParserTest {

    static final String ML_GRIND_EXAMPLE = "[ML Grind] Finished: > Foundation Models: finished transformer-based model "
            + "implementation from scratch finetuning > Finished reading the Attention-based model in the industry paper: "
            + "interesting insights about context length, scaling laws, and joint fusion Have been working on: > ML "
            + "monitoring alerting system for ML models > AI agent for business flow: interesting engineering learnings "
            + "(agent/prompt refinements <> MCP <> backend infra) > Real estate liquidity model: interesting learnings "
            + "about temporal splits, model calibration, model optimization, and dataset exploration Plan for today: > "
            + "Continue writing the blog post about the foundation model implementation > Continue the \"Language "
            + "Modeling from Scratch\" course by Stanford > Read a new ML paper";

    static ParsedLog log(List<String> finished, List<String> workingOn, List<String> plan, List<String> other) {
        return new ParsedLog(finished, workingOn, plan, other);
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = LogParserTest.class.getResourceAsStream("/lectern/logs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Nested
    class TheMlGrindForm {

        @Test
        void theIssueExampleOnOneLine() {
            ParsedLog log = LogParser.parse(ML_GRIND_EXAMPLE);
            assertEquals(List.of(
                    "Foundation Models: finished transformer-based model implementation from scratch finetuning",
                    "Finished reading the Attention-based model in the industry paper: interesting insights about "
                            + "context length, scaling laws, and joint fusion"), log.finished());
            assertEquals(List.of(
                    "ML monitoring alerting system for ML models",
                    "AI agent for business flow: interesting engineering learnings (agent/prompt refinements <> MCP "
                            + "<> backend infra)",
                    "Real estate liquidity model: interesting learnings about temporal splits, model calibration, "
                            + "model optimization, and dataset exploration"), log.workingOn());
            assertEquals(List.of(
                    "Continue writing the blog post about the foundation model implementation",
                    "Continue the \"Language Modeling from Scratch\" course by Stanford",
                    "Read a new ML paper"), log.plan());
            assertEquals(List.of(), log.other());
        }

        @Test
        void theShortForm() {
            assertEquals(log(List.of("a", "b"), List.of("c"), List.of("d"), List.of()),
                    LogParser.parse("[ML Grind] Finished: > a > b Have been working on: > c Plan for today: > d"));
        }

        @Test
        void theExampleSplitOverManyLines() {
            String text = ML_GRIND_EXAMPLE
                    .replace(" > ", "\n> ")
                    .replace(" Have been working on:", "\nHave been working on:")
                    .replace(" Plan for today:", "\nPlan for today:");
            assertEquals(LogParser.parse(ML_GRIND_EXAMPLE), LogParser.parse(text));
        }

        @Test
        void theExampleWithHeadingsOnTheirOwnLinesAndItemsAfterThem() {
            String text = ML_GRIND_EXAMPLE
                    .replace("[ML Grind] Finished: ", "[ML Grind]\nFinished:\n")
                    .replace(" Have been working on: ", "\nHave been working on:\n")
                    .replace(" Plan for today: ", "\nPlan for today:\n");
            assertEquals(LogParser.parse(ML_GRIND_EXAMPLE), LogParser.parse(text));
        }

        @Test
        void aMultiLineLogWithWrappedItems() throws IOException {
            ParsedLog log = LogParser.parse(fixture("ml-grind-multiline.txt"));
            assertEquals(List.of(
                    "Wrote the KV-cache for generation: 3.1x faster at 256 tokens",
                    "Finished reading the FlashAttention paper: tiling + recomputation, online softmax"), log.finished());
            assertEquals(List.of(
                    "Label noise in the log classifier (precision <> recall trade-off)",
                    "BPE tokenizer: merges -> vocab of 4096"), log.workingOn());
            assertEquals(List.of(
                    "Benchmark fp32 vs bf16 matmul",
                    "Next chapter of \"Deep Learning\" by Goodfellow"), log.plan());
            assertEquals(List.of(), log.other());
        }

        @Test
        void anItemWrappedOntoAnUnindentedLineKeepsSplittingAtLoneSeparators() {
            ParsedLog log = LogParser.parse("Finished: > a long item that\nwraps here > b\nPlan: > c");
            assertEquals(List.of("a long item that wraps here", "b"), log.finished());
            assertEquals(List.of("c"), log.plan());
        }

        @Test
        void aHeadingWrappedOntoTheNextLineStillEndsTheItem() {
            ParsedLog log = LogParser.parse("Finished: > a Have been working\non: > b");
            assertEquals(List.of("a"), log.finished());
            assertEquals(List.of("b"), log.workingOn());
        }

        @Test
        void itemsBeforeAnyHeadingGoToOther() {
            ParsedLog log = LogParser.parse("> slept 8h > gym Finished: > chapter 2");
            assertEquals(List.of("slept 8h", "gym"), log.other());
            assertEquals(List.of("chapter 2"), log.finished());
        }

        @Test
        void aTagFollowedByItemsWithoutAHeading() {
            assertEquals(log(List.of(), List.of(), List.of(), List.of("a", "b")), LogParser.parse("[ML Grind] > a > b"));
        }

        @Test
        void aTagFollowedByProseIsKeptAsText() {
            assertEquals(List.of("[TODO] buy a new notebook"), LogParser.parse("[TODO] buy a new notebook").other());
        }

        @Test
        void anyTagWorks() {
            assertEquals(List.of("x"), LogParser.parse("[Day 42 🚀] Done: > x").finished());
        }

        @Test
        void headingWithoutColonBeforeAnItem() {
            ParsedLog log = LogParser.parse("[ML Grind] Finished > a > b");
            assertEquals(List.of("a", "b"), log.finished());
        }

        @Test
        void aSectionMayBeEmpty() {
            ParsedLog log = LogParser.parse("Finished: > a Have been working on: Plan for today: > d");
            assertEquals(List.of("a"), log.finished());
            assertEquals(List.of(), log.workingOn());
            assertEquals(List.of("d"), log.plan());
        }

        @Test
        void anEmptySectionInTheGreaterThanForm() {
            ParsedLog log = LogParser.parse("Finished: > a > Have been working on: > Plan for today: > d");
            assertEquals(List.of("a"), log.finished());
            assertEquals(List.of(), log.workingOn());
            assertEquals(List.of("d"), log.plan());
        }

        @Test
        void aHeadingAtTheVeryEndOpensAnEmptySection() {
            ParsedLog log = LogParser.parse("Finished: > a > b Plan for today:");
            assertEquals(List.of("a", "b"), log.finished());
            assertEquals(List.of(), log.plan());
        }

        @Test
        void proseAfterAHeadingThenAnInlineHeadingWithItems() {
            ParsedLog log = LogParser.parse("Finished: chapter 3 of SICP Plan: > chapter 4 > exercises");
            assertEquals(List.of("chapter 3 of SICP"), log.finished());
            assertEquals(List.of("chapter 4", "exercises"), log.plan());
        }

        @Test
        void aDanglingSeparatorMakesNoEmptyItem() {
            assertEquals(List.of("a", "b"), LogParser.parse("Done: > a > > b >").finished());
        }
    }

    @Nested
    class Headings {

        @ParameterizedTest
        @CsvSource({
                "Finished, FINISHED", "finished, FINISHED", "FINISHED, FINISHED", "Done, FINISHED",
                "Completed, FINISHED", "Done today, FINISHED",
                "Have been working on, WORKING_ON", "have been working on, WORKING_ON", "Working on, WORKING_ON",
                "In progress, WORKING_ON", "Currently working on, WORKING_ON",
                "Plan for today, PLAN", "PLAN FOR TODAY, PLAN", "Plan, PLAN", "Plans, PLAN", "Today, PLAN",
                "Next, PLAN", "Next up, PLAN", "Plan for tomorrow, PLAN", "Todo, PLAN",
                "Other, OTHER", "Notes, OTHER"
        })
        void everyVariantInEveryHeadingPosition(String heading, Section section) {
            List<String> texts = List.of(
                    heading + ":\n- item one\n- item two",
                    heading + "\n- item one\n- item two",
                    "  " + heading + " :  \n- item one\n- item two",
                    "## " + heading + "\n- item one\n- item two",
                    "### " + heading + ":\n* item one\n* item two",
                    "# " + heading + " #\n+ item one\n+ item two",
                    "**" + heading + ":**\n- item one\n- item two",
                    "**" + heading + "**:\n- item one\n- item two",
                    "__" + heading + "__\n1. item one\n2. item two",
                    heading + "\n---\n- item one\n- item two",
                    heading + ": > item one > item two",
                    "[ML Grind] " + heading + ": > item one > item two",
                    heading + ": item one\nitem two");
            for (String text : texts) {
                ParsedLog log = LogParser.parse(text);
                assertEquals(List.of("item one", "item two"), log.items(section), text);
                assertEquals(2, log.size(), text);
            }
        }

        @ParameterizedTest
        @CsvSource({
                "Finished, FINISHED", "Done, FINISHED", "Working on, WORKING_ON", "In progress, WORKING_ON",
                "Have been working on, WORKING_ON", "Plan, PLAN", "Today, PLAN", "Next, PLAN", "Plan for today, PLAN"
        })
        void everyInlineVariantInsideTheGreaterThanForm(String heading, Section section) {
            ParsedLog log = LogParser.parse("> first thing " + heading + ": > second thing");
            assertEquals(List.of("first thing"), log.other());
            assertEquals(List.of("second thing"), log.items(section));
        }

        @Test
        void otherAndNotesAreNotRecognizedInsideALine() {
            ParsedLog log = LogParser.parse("Finished: > compared it with the other: > b");
            assertEquals(List.of("compared it with the other:", "b"), log.finished());
        }

        @Test
        void headingWordsAtTheStartOfAnItemAreText() {
            ParsedLog log = LogParser.parse("Finished reading the paper\nDone with chapter 2\nToday I learned about RoPE\n"
                    + "Next time: try a bigger batch\nPlanning poker with the team");
            assertEquals(List.of("Finished reading the paper", "Done with chapter 2", "Today I learned about RoPE",
                    "Next time: try a bigger batch", "Planning poker with the team"), log.other());
        }

        @Test
        void headingWordsInsideItemsAreText() {
            ParsedLog log = LogParser.parse("## Finished\n- finished reading the paper\n- Done: the hard part\n"
                    + "- plan: > not a heading in a list item\n- what I did today: > more");
            assertEquals(List.of("finished reading the paper", "Done: the hard part",
                    "plan: > not a heading in a list item", "what I did today: > more"), log.finished());
            assertEquals(1, LogParser.parse("- Plan for today: > read").size());
        }

        @Test
        void aHeadingWordMustEndAtAWordBoundary() {
            ParsedLog log = LogParser.parse("Donecheck: > a\nPlanned: > b\nNextjs: > c");
            assertEquals(List.of("Donecheck: > a", "Planned: > b", "Nextjs: > c"), log.other());
        }

        @Test
        void anInlineHeadingMustFollowWhitespace() {
            ParsedLog log = LogParser.parse("Finished: > read about auto-plan: > b");
            assertEquals(List.of("read about auto-plan:", "b"), log.finished());
        }

        @Test
        void aColonAfterAHeadingWordInProseWithoutItemsIsText() {
            assertEquals(List.of("We agreed on a plan: ship on Friday"),
                    LogParser.parse("We agreed on a plan: ship on Friday").other());
            ParsedLog endsWithHeading = LogParser.parse("Here is what I did today:\n- read");
            assertEquals(List.of("Here is what I did today:", "read"), endsWithHeading.other());
        }

        @Test
        void aLineOfHeadingsOnlyOpensTheLastOne() {
            ParsedLog log = LogParser.parse("Finished: Have been working on: Plan for today:\n- read");
            assertEquals(log(List.of(), List.of(), List.of("read"), List.of()), log);
        }

        @Test
        void markdownHeadingsAreLenientAboutWhatFollowsThePhrase() {
            ParsedLog log = LogParser.parse("## Done today (Monday) ✅\n- a\n## Next steps\n- b");
            assertEquals(List.of("a"), log.finished());
            assertEquals(List.of("b"), log.plan());
        }

        @Test
        void markdownHeadingWithItemsOnTheSameLine() {
            ParsedLog log = LogParser.parse("## Finished: > a > b\n## Plan: c");
            assertEquals(List.of("a", "b"), log.finished());
            assertEquals(List.of("c"), log.plan());
        }

        @Test
        void otherMarkdownHeadingsAreNotItemsAndEndTheSection() {
            ParsedLog log = LogParser.parse("# 2026-11-29\n## Finished\n- a\n## Links\n- b\n## Plan\n- c");
            assertEquals(List.of("a"), log.finished());
            assertEquals(List.of("b"), log.other());
            assertEquals(List.of("c"), log.plan());
        }

        @Test
        void aSubHeadingStaysInItsSection() {
            ParsedLog log = LogParser.parse("## Finished\n- a\n### Papers\n- b\n## Misc\n- c");
            assertEquals(List.of("a", "b"), log.finished());
            assertEquals(List.of("c"), log.other());
        }

        @Test
        void aSetextHeadingIsNotAnItem() {
            ParsedLog log = LogParser.parse("Past reads\n==========\n- a\n\nFinished\n--------\n- b");
            assertEquals(List.of("a"), log.other());
            assertEquals(List.of("b"), log.finished());
        }

        @Test
        void aThematicBreakIsNotAnItem() {
            ParsedLog log = LogParser.parse("- a\n\n---\n\n- b\n* * *\n- c");
            assertEquals(List.of("a", "b", "c"), log.other());
        }

        @Test
        void aCSharpHeadingKeepsItsHash() {
            // Not a section heading, so not an item either; what matters is that nothing breaks.
            ParsedLog log = LogParser.parse("## Finished\n- a\n## C#\n- b");
            assertEquals(List.of("a"), log.finished());
            assertEquals(List.of("b"), log.other());
        }

        @Test
        void hashWithoutSpaceIsNotAHeading() {
            assertEquals(List.of("#100DaysOfCode day 12"), LogParser.parse("#100DaysOfCode day 12").other());
        }
    }

    @Nested
    class ListItems {

        @Test
        void everyMarker() {
            ParsedLog log = LogParser.parse("- dash\n* star\n+ plus\n1. one\n22) twenty-two\n> quote\n"
                    + "- [ ] open box\n- [x] done box\n* [X] big box\n[ ] bare box");
            assertEquals(List.of("dash", "star", "plus", "one", "twenty-two", "quote", "open box", "done box",
                    "big box", "bare box"), log.other());
        }

        @Test
        void notMarkers() {
            ParsedLog log = LogParser.parse("-5 degrees outside\n+1 for the idea\n1.5 hours of reading\n>not a quote\n"
                    + "*emphasis* on this\n[x]marks the spot");
            assertEquals(List.of("-5 degrees outside", "+1 for the idea", "1.5 hours of reading", ">not a quote",
                    "*emphasis* on this", "[x]marks the spot"), log.other());
        }

        @Test
        void indentedContinuationLinesAreJoined() {
            ParsedLog log = LogParser.parse("## Finished\n- first line\n  second line\n    third line\n- next item");
            assertEquals(List.of("first line second line third line", "next item"), log.finished());
        }

        @Test
        void lazyContinuationLinesAreJoined() {
            ParsedLog log = LogParser.parse("* **A book by Someone:** a note that goes\non and on\nand on.\n* next");
            assertEquals(List.of("**A book by Someone:** a note that goes on and on and on.", "next"), log.other());
        }

        @Test
        void aBlankLineEndsLazyContinuationButNotIndentedContinuation() {
            ParsedLog log = LogParser.parse("- a\n\n  more of a\n\nplain line");
            assertEquals(List.of("a more of a", "plain line"), log.other());
        }

        @Test
        void nestedItemsAreSeparateItems() {
            ParsedLog log = LogParser.parse("- parent\n  - child\n    - grandchild\n- sibling");
            assertEquals(List.of("parent", "child", "grandchild", "sibling"), log.other());
        }

        @Test
        void plainLinesAreOneItemEach() {
            ParsedLog log = LogParser.parse("Finished\nread chapter 3\nwrote notes\n\n  indented but first");
            assertEquals(List.of("read chapter 3", "wrote notes", "indented but first"), log.finished());
        }

        @Test
        void plainLinesUnderAHeadingIndentedAlikeAreSeparateItems() {
            ParsedLog log = LogParser.parse("Plan:\n  read chapter 5\n  write the summary\n      of chapter 4");
            assertEquals(List.of("read chapter 5", "write the summary of chapter 4"), log.plan());
        }

        @Test
        void anEmptyListItemIsDropped() {
            assertEquals(List.of("a", "b"), LogParser.parse("- a\n-\n- \n* [ ]\n- b").other());
        }

        @Test
        void markdownLinksAndReferencesAreNotTags() {
            ParsedLog log = LogParser.parse("[nanoGPT](https://example.org) is neat\n[ref]: https://example.org\n"
                    + "[a][b] reference style");
            assertEquals(List.of("[nanoGPT](https://example.org) is neat", "[ref]: https://example.org",
                    "[a][b] reference style"), log.other());
        }
    }

    @Nested
    class Separators {

        @Test
        void diamondArrowAndComparisonsInsideGreaterThanItemsAreText() {
            ParsedLog log = LogParser.parse("Finished: > agent <> MCP <> infra > tokens->ids > acc >= 0.9 > loss >0.1");
            assertEquals(List.of("agent <> MCP <> infra", "tokens->ids", "acc >= 0.9", "loss >0.1"), log.finished());
        }

        @Test
        void aLoneGreaterThanInsideTheGreaterThanFormSplits() {
            // The documented ambiguity: in the > form a lone > always starts an item.
            assertEquals(List.of("precision", "recall"), LogParser.parse("Done: > precision > recall").finished());
        }

        @Test
        void aLoneGreaterThanInAListItemOrProseIsText() {
            ParsedLog log = LogParser.parse("batch 64 > batch 32 for this model\n- accuracy > 90% on the test set");
            assertEquals(List.of("batch 64 > batch 32 for this model", "accuracy > 90% on the test set"), log.other());
        }

        @Test
        void htmlTagsAreText() {
            assertEquals(List.of("<b>bold</b> and <br/> kept"), LogParser.parse("> <b>bold</b> and <br/> kept").other());
        }
    }

    @Nested
    class Text {

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\n\n", "\r\n\t\r\n", "---", "# 2026-11-29", "[ML Grind]", ">", "- ",
                "Finished:", "Finished: Have been working on: Plan for today:", "## Finished\n## Plan\n### Other"})
        void emptyOrOnlyHeadingsGivesAnEmptyLog(String text) {
            assertTrue(LogParser.parse(text).isEmpty(), text);
        }

        @Test
        void nullIsAnEmptyLog() {
            assertTrue(LogParser.parse(null).isEmpty());
        }

        @Test
        void crlfAndOldMacLineEndings() {
            String unix = "## Finished\n- a\n  continued\n## Plan\n> b > c\n";
            ParsedLog expected = LogParser.parse(unix);
            assertEquals(List.of("a continued"), expected.finished());
            assertEquals(expected, LogParser.parse(unix.replace("\n", "\r\n")));
            assertEquals(expected, LogParser.parse(unix.replace("\n", "\r")));
        }

        @Test
        void aByteOrderMarkIsIgnored() {
            assertEquals(List.of("a"), LogParser.parse("\uFEFFFinished: > a").finished());
        }

        @Test
        void unicodeAndEmojiAreKeptIntact() {
            ParsedLog log = LogParser.parse("Finished: > 读完了《深度学习》第三章 🎉 > Ryōkan — Hōjōki > "
                    + "قرأت الفصل الأول > family 👨‍👩‍👧 emoji");
            assertEquals(List.of("读完了《深度学习》第三章 🎉", "Ryōkan — Hōjōki", "قرأت الفصل الأول",
                    "family 👨‍👩‍👧 emoji"), log.finished());
        }

        @Test
        void itemsAreTrimmedButInnerSpacingIsKept() {
            assertEquals(List.of("a  b\tc"), LogParser.parse("Done:   >    a  b\tc    ").finished());
        }

        @Test
        void tabsIndentContinuations() {
            assertEquals(List.of("a b"), LogParser.parse("- a\n\tb").other());
        }

        @Test
        void frontMatterIsSkipped() {
            ParsedLog log = LogParser.parse("---\ntitle: Day 3\ntags: [ml]\n---\nDone: > a");
            assertEquals(log(List.of("a"), List.of(), List.of(), List.of()), log);
        }

        @Test
        void aHundredKilobytesOfOneLineFormParses() {
            StringBuilder text = new StringBuilder("[ML Grind] Finished:");
            int n = 0;
            while (text.length() < 100_000) {
                text.append(" > item ").append(n++).append(" with <> and -> inside");
                if (n % 500 == 0) {
                    text.append(" Plan for today:");
                }
            }
            ParsedLog log = LogParser.parse(text.toString());
            assertEquals(n, log.size());
            assertEquals("item 0 with <> and -> inside", log.finished().get(0));
        }

        @Test
        void pathologicalInputsParse() {
            // Shapes that make naive regular expressions backtrack: long runs of the characters they repeat over.
            List<String> texts = List.of(
                    " ".repeat(100_000) + "x",
                    ":".repeat(50_000) + " > " + ":".repeat(50_000),
                    "Finished: " + "> ".repeat(50_000),
                    "a " + " > ".repeat(30_000) + "Plan:",
                    "plan for today ".repeat(7_000) + ": > x",
                    "[" + "a".repeat(100_000),
                    "*".repeat(100_000),
                    "#".repeat(100_000),
                    "- a\n" + "  b\n".repeat(25_000),
                    "> a\n" + "b > c\n".repeat(16_000),
                    "x " + "Done: ".repeat(16_000) + "> y");
            for (String text : texts) {
                ParsedLog log = LogParser.parse(text);
                assertTrue(log.size() >= 0);
            }
            ParsedLog continued = LogParser.parse("- a\n" + "  b\n".repeat(25_000));
            assertEquals(1, continued.size());
            assertEquals(2 + 2 * 25_000 - 1, continued.other().get(0).length());
            assertEquals(16_001, LogParser.parse("> a\n" + "b > c\n".repeat(16_000)).size());
        }
    }

    @Nested
    class RealWorldShapes {

        @Test
        void anObsidianDailyNote() throws IOException {
            ParsedLog log = LogParser.parse(fixture("obsidian-daily.md"));
            assertEquals(List.of(
                    "Chapter 4 of *Designing Data-Intensive Applications*: replication lag and read-your-writes",
                    "Reviewed PR #142 (tokenizer -> BPE merges)",
                    "added a test for `merge(a, b)` where a > b",
                    "Read \"Attention Is All You Need\" §3.2 — scaled dot-product; the √d_k factor keeps softmax "
                            + "out of saturation"), log.finished());
            assertEquals(List.of("Lectern stats page", "Rewriting the data loader 🚀"), log.workingOn());
            assertEquals(List.of("Finish chapter 5", "Try lr 3e-4 vs 1e-3 (expect 3e-4 >= 1e-3 on loss)"), log.plan());
            assertEquals(List.of("Slept badly, short session.", "[nanoGPT](https://github.com/karpathy/nanoGPT)"),
                    log.other());
        }

        @Test
        void aHundredDaysOfCodeStyleLog() throws IOException {
            ParsedLog log = LogParser.parse(fixture("hundred-days-style.md"));
            assertEquals(List.of(), log.finished());
            assertEquals(List.of(), log.workingOn());
            assertEquals(List.of(
                    "Daily log of the challenge.",
                    "Completed the lesson on precision and recall",
                    "Started the [Deep Learning](https://example.org/course) course",
                    "Working on the `confusion_matrix` exercise, accuracy was > 91%",
                    "Finished the decision tree mini-project"), log.other());
        }

        @Test
        void htmlListsInsideMarkdown() {
            String text = "<!-- my log -->\n<b>bold</b> line\n<h2>Finished</h2>\n<ul>\n"
                    + "\t<li>Deploy the model with Flask</li>\n\t<li>Read chapter 4:\n\t  ML deployment</li>\n"
                    + "</ul>\n<H3>Day 2: Docker</H3>\n<ol>\n<li>Write a Dockerfile</li>\n</ol>";
            ParsedLog log = LogParser.parse(text);
            assertEquals(List.of("Deploy the model with Flask", "Read chapter 4: ML deployment",
                    "Write a Dockerfile"), log.finished());
            assertEquals(List.of("<b>bold</b> line"), log.other());
        }

        @Test
        void aChatMessageWithBoldHeadingsAndBullets() {
            String text = "[ML Grind] 🧠\n**Finished:**\n• not a marker we know\n- KV cache\n\n"
                    + "**Have been working on**\n- eval harness\n  (slow on CPU)\n\n**Plan for today:** > ship it > rest";
            ParsedLog log = LogParser.parse(text);
            assertEquals(List.of("[ML Grind] 🧠"), log.other());
            assertEquals(List.of("• not a marker we know", "KV cache"), log.finished());
            assertEquals(List.of("eval harness (slow on CPU)"), log.workingOn());
            assertEquals(List.of("ship it", "rest"), log.plan());
        }
    }
}
