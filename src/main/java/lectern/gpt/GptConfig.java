package lectern.gpt;

/**
 * The shape of a GPT: vocabulary, context length, width, depth, heads and how positions are encoded.
 * {@code config.json} spells positions {@code "learned"} or {@code "none"} (NoPE).
 */
public record GptConfig(int vocabSize, int blockSize, int nEmbd, int nLayer, int nHead, Positions positions) {

    public enum Positions {
        LEARNED, NONE;

        /** The spelling used in config.json. */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Positions fromJsonName(String name) {
            for (Positions p : values()) {
                if (p.jsonName().equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("positions must be \"learned\" or \"none\", was \"" + name + "\"");
        }
    }

    public GptConfig {
        if (vocabSize <= 0 || blockSize <= 0 || nEmbd <= 0 || nLayer <= 0 || nHead <= 0) {
            throw new IllegalArgumentException("all sizes must be positive: " + this);
        }
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd (" + nEmbd + ") must be a multiple of n_head (" + nHead + ")");
        }
        if (positions == null) {
            throw new IllegalArgumentException("positions must be LEARNED or NONE");
        }
    }

    /** GPT-micro: 4096 vocab, context 128, width 128, 4 layers, 4 heads (batch 16 in benchmarks), ~1.33M parameters. */
    public static GptConfig micro() {
        return new GptConfig(4096, 128, 128, 4, 4, Positions.LEARNED);
    }

    /** GPT-mini: 4096 vocab, context 256, width 256, 4 layers, 4 heads (batch 8 in benchmarks), ~4.27M parameters. */
    public static GptConfig mini() {
        return new GptConfig(4096, 256, 256, 4, 4, Positions.LEARNED);
    }

    /**
     * GPT-small, the shipped model's shape: 4096 vocab, context 256 (a Debian description and its synopsis fit),
     * width 192, 4 layers, 6 heads of 32, ~2.60M parameters. Between micro and mini because two fp32 ONNX graphs of
     * it stay under 30 MB and a few CPU-hours train it on about its Chinchilla share of tokens (~20 per parameter).
     */
    public static GptConfig small() {
        return new GptConfig(4096, 256, 192, 4, 6, Positions.LEARNED);
    }

    /** The named configurations ("micro", "mini"; "small" for the shipped model), as the benchmarks and the CLI spell them. */
    public static java.util.Optional<GptConfig> reference(String name) {
        return switch (name) {
            case "micro" -> java.util.Optional.of(micro());
            case "mini" -> java.util.Optional.of(mini());
            case "small" -> java.util.Optional.of(small());
            default -> java.util.Optional.empty();
        };
    }

    public GptConfig withPositions(Positions p) {
        return new GptConfig(vocabSize, blockSize, nEmbd, nLayer, nHead, p);
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Trainable parameters, the tied output head counted once (it is the token embedding). */
    public long parameterCount() {
        long c = nEmbd;
        long perLayer = 12 * c * c + 13 * c; // 2 LN (4C) + qkv (3C^2+3C) + proj (C^2+C) + fc (4C^2+4C) + fc proj (4C^2+C)
        long positionsCount = positions == Positions.LEARNED ? (long) blockSize * c : 0;
        return (long) vocabSize * c + positionsCount + nLayer * perLayer + 2 * c;
    }
}
