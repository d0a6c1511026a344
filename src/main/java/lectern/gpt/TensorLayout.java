package lectern.gpt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Named tensors laid out back to back in one parameter block, in the order they are added. */
final class TensorLayout {

    private final List<ParameterTensor> tensors = new ArrayList<>();
    private int size;

    /** Adds a tensor of this shape after the last one; returns its offset. */
    int add(String name, int... shape) {
        ParameterTensor t = new ParameterTensor(name, size, shape);
        tensors.add(t);
        size += t.size();
        return t.offset();
    }

    List<ParameterTensor> tensors() {
        return Collections.unmodifiableList(new ArrayList<>(tensors));
    }

    /** Floats in all the tensors added so far. */
    int size() {
        return size;
    }
}
