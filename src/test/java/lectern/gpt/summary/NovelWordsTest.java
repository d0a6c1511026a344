package lectern.gpt.summary;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NovelWordsTest {

    @Test
    void countsContentWordsAbsentFromTheInputCaseBlind() {
        NovelWords.Count c = NovelWords.count("Setrixeline for GPU-based GPUs", "Tiling keeps blocks in SRAM on the GPU");
        // content words: setrixeline, gpu, based, gpus; novel: setrixeline, based, gpus
        assertEquals(4, c.content());
        assertEquals(3, c.novel());
        assertEquals(0, NovelWords.count("Tiling in SRAM", "tiling keeps blocks in sram").novel());
        NovelWords.Rate pooled = new NovelWords.Rate();
        pooled.add(c);
        pooled.add(NovelWords.count("the of and", "x"));
        assertEquals(0.75, pooled.rate(), 1e-12);
    }
}
