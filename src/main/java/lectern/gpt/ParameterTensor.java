package lectern.gpt;

import java.util.Arrays;

/**
 * One named tensor inside {@link GptModel#parameters()}: it starts at {@code offset} and is stored row-major with
 * {@code shape}, exactly as the nanoGPT state_dict holds it (torch.nn.Linear weights are [out, in]).
 */
public record ParameterTensor(String name, int offset, int[] shape) {

    public ParameterTensor {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Weight matrices and embeddings (2-D) get weight decay; biases and LayerNorm parameters (1-D) do not. */
    public boolean isMatrix() {
        return shape.length >= 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterTensor t && t.name.equals(name) && t.offset == offset && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + offset;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + "@" + offset;
    }
}
