package lectern.gpt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainBenchmarkTest {

    @Test
    void matmulFlopsCountEveryMatrixOfTheModelOnce() {
        GptConfig c = GptConfig.mini();
        int B = 8, T = c.blockSize();
        long matrices = new GptModel(c).tensors().stream()
                .filter(t -> t.shape().length == 2 && !t.name().equals("transformer.wpe.weight"))
                .mapToLong(ParameterTensor::size).sum();
        assertEquals(6.0 * B * T * matrices, TrainBenchmark.matmulFlopsPerStep(c, B, T), 1.0);
        assertTrue(TrainBenchmark.matmulFlopsPerStep(c, B, T) < TrainBenchmark.flopsPerStep(c, B, T));
    }

    @Test
    void medianAndSpread() {
        assertEquals(3.0, TrainBenchmark.median(new double[] {5, 1, 3}));
        assertEquals(2.5, TrainBenchmark.median(new double[] {4, 1, 3, 2}));
        assertEquals("range 90-110 (-10% +10%)", TrainBenchmark.spread(new double[] {110, 100, 90}));
    }

    @Test
    void aShortRunReportsEveryRoundAndWhereTheTimeWent() throws Exception {
        TrainBenchmark.Result r = TrainBenchmark.run("micro", 2, 1, 3, 1, null, null);
        assertEquals(3, r.roundTokensPerSecond().length);
        for (double tps : r.roundTokensPerSecond()) {
            assertTrue(tps > 0, "tokens/s " + tps);
        }
        double shares = r.shares().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, shares, 0.05, "shares of the timed wall time: " + r.shares());
        assertTrue(r.matmulGflops() > 0);
        assertNull(r.pytorch());
        assertTrue(r.report().contains("median"), r.report());
    }
}
