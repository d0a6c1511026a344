package lectern.gpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CorpusTextTest {

    @Test
    void splitsDocumentsAndEndsEachWithEndOfText(@TempDir Path dir) throws Exception {
        Path corpus = dir.resolve("c.txt");
        Files.writeString(corpus, "first doc\nline two\n<|endoftext|>\nsecond\n<|endoftext|>\nthird <|endoftext|> inline\n");
        assertEquals(List.of("first doc\nline two", "second", "third <|endoftext|> inline"), CorpusText.documents(corpus));

        BpeTokenizer tokenizer = BpeTokenizer.train(CorpusText.documents(corpus), 300, BpeTokenizer.DEFAULT_SPECIAL_TOKENS);
        CorpusText.Split split = CorpusText.tokenize(tokenizer, List.of(corpus), dir.resolve("tokens"), 0.0, 1);
        assertEquals(3, split.documents());
        assertEquals(0, split.validationTokens());
        int[] train = TokenFile.open(dir.resolve("tokens/train.bin")).readAll();
        assertEquals(split.trainTokens(), train.length);
        int eot = tokenizer.endOfTextId();
        int eots = 0;
        for (int t : train) {
            eots += t == eot ? 1 : 0;
        }
        assertEquals(3, eots, "inline <|endoftext|> text is not the special token");
        assertEquals(eot, train[train.length - 1]);
        assertEquals("first doc\nline two<|endoftext|>second<|endoftext|>third <|endoftext|> inline<|endoftext|>",
                tokenizer.decode(train));
    }
}
