package lectern.cli;

import lectern.gpt.BpeTokenizer;
import lectern.gpt.Checkpoint;
import lectern.gpt.GptModel;
import lectern.gpt.onnx.ModelPackage;
import lectern.gpt.onnx.OnnxNames;

import java.io.IOException;
import java.nio.file.Path;

/** A GPT and its tokenizer from a run directory (--checkpoint) or, without one, a served model directory (its lm.onnx). */
final class Trunk {

    private final GptModel gpt;
    private final BpeTokenizer tokenizer;

    private Trunk(GptModel gpt, BpeTokenizer tokenizer) {
        this.gpt = gpt;
        this.tokenizer = tokenizer;
    }

    GptModel gpt() {
        return gpt;
    }

    BpeTokenizer tokenizer() {
        return tokenizer;
    }

    static Trunk load(Path checkpoint, Path modelDir) throws IOException {
        if (checkpoint != null) {
            return new Trunk(Checkpoint.loadModel(checkpoint), Checkpoint.loadTokenizer(checkpoint));
        }
        return new Trunk(ModelPackage.readGpt(modelDir), BpeTokenizer.load(modelDir.resolve(OnnxNames.TOKENIZER_FILE)));
    }
}
