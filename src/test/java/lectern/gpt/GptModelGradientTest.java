package lectern.gpt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference check of the whole model's gradient: every tensor (up to 60 elements each, spread over the
 * tensor), both position modes, both kernel sets.
 */
class GptModelGradientTest {

    static Stream<Arguments> cases() {
        return GradientCheck.computes().flatMap(cx -> Stream.of(
                Arguments.of(cx, GptConfig.Positions.LEARNED), Arguments.of(cx, GptConfig.Positions.NONE)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void wholeModelGradientMatchesFiniteDifferences(Compute cx, GptConfig.Positions positions) {
        GptConfig config = new GptConfig(23, 8, 16, 2, 2, positions);
        GptModel model = GradientCheck.largeWeights(new GptModel(config, cx), 11);
        float[] p = model.parameters();
        Random rng = new Random(11);
        int B = 2, T = 8; // B*T = 16 rows: the matrix-product path (fewer rows take dot products)
        int[] tokens = new int[B * T], targets = new int[B * T];
        for (int i = 0; i < B * T; i++) {
            tokens[i] = rng.nextInt(config.vocabSize());
            targets[i] = rng.nextInt(config.vocabSize());
        }
        model.zeroGradients();
        float loss = model.forward(tokens, targets, B, T);
        assertTrue(loss > 0 && Float.isFinite(loss));
        model.backward();
        float[] analytic = model.gradients().clone();
        for (ParameterTensor t : model.tensors()) {
            GradientCheck.assertGradient(t.name(), p, t.offset(), t.size(), analytic, t.offset(), 0f,
                    () -> model.forward(tokens, targets, B, T), 1e-2f, 1e-3, 2e-2, 60);
        }
        // backward accumulates: a second backward doubles the gradient
        model.forward(tokens, targets, B, T);
        model.backward();
        float[] twice = model.gradients();
        for (int i = 0; i < twice.length; i++) {
            assertTrue(Math.abs(twice[i] - 2 * analytic[i]) <= 1e-6 + 1e-5 * Math.abs(analytic[i]), "accumulation at " + i);
        }
    }
}
