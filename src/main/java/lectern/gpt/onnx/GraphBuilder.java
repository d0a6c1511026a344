package lectern.gpt.onnx;

import com.google.protobuf.ByteString;
import lectern.gpt.onnx.proto.Onnx.AttributeProto;
import lectern.gpt.onnx.proto.Onnx.GraphProto;
import lectern.gpt.onnx.proto.Onnx.ModelProto;
import lectern.gpt.onnx.proto.Onnx.NodeProto;
import lectern.gpt.onnx.proto.Onnx.OperatorSetIdProto;
import lectern.gpt.onnx.proto.Onnx.StringStringEntryProto;
import lectern.gpt.onnx.proto.Onnx.TensorProto;
import lectern.gpt.onnx.proto.Onnx.TensorShapeProto;
import lectern.gpt.onnx.proto.Onnx.TypeProto;
import lectern.gpt.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one ONNX graph node by node. Every op call names its output after the op and a counter (e.g.
 * {@code "MatMul_12"}) unless a name is given, so the graph reads in the order it was built.
 */
final class GraphBuilder {

    /** ONNX IR version 8 goes with opset 17 (LayerNormalization). */
    static final long IR_VERSION = 8;
    static final long OPSET = 17;

    /** ONNX Runtime's contrib operators (MatMulNBits), imported only by graphs that use one. */
    static final String MICROSOFT = "com.microsoft";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private boolean usesMicrosoftOps;
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final Map<String, String> int64Constants = new LinkedHashMap<>();

    GraphBuilder(String name) {
        graph.setName(name);
    }

    // ---- inputs, outputs, initializers ----

    /** A graph input; a dimension is an Integer (fixed) or a String (symbolic, e.g. "batch"). */
    void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** A float initializer (weights are stored as little-endian raw data) copied from {@code data[offset..]}. */
    String floats(String name, float[] data, int offset, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(n * 4)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data, offset, (int) n);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A uint8 initializer (raw data) of the given shape. */
    String uint8s(String name, byte[] data, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.UINT8_VALUE)
                .setRawData(ByteString.copyFrom(data));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A float scalar initializer. */
    String scalar(String name, float value) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(value));
        return name;
    }

    /** An int64 initializer of shape [values.length] (or a scalar with {@code scalar}), shared by equal values. */
    String int64s(boolean scalar, long... values) {
        String key = (scalar ? "s" : "v") + java.util.Arrays.toString(values);
        return int64Constants.computeIfAbsent(key, k -> {
            String name = "const_" + int64Constants.size();
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
            if (!scalar) {
                t.addDims(values.length);
            }
            for (long v : values) {
                t.addInt64Data(v);
            }
            graph.addInitializer(t);
            return name;
        });
    }

    String int64s(long... values) {
        return int64s(false, values);
    }

    String int64Scalar(long value) {
        return int64s(true, value);
    }

    // ---- nodes ----

    /** Adds a node with one output and returns the output's name. */
    String op(String opType, String[] inputs, AttributeProto... attributes) {
        return opNamed(opType, null, inputs, attributes);
    }

    String op(String opType, String... inputs) {
        return opNamed(opType, null, inputs);
    }

    /** Adds a node whose single output has the given name (a graph output) or a generated one when null. */
    String opNamed(String opType, String output, String[] inputs, AttributeProto... attributes) {
        return node(opType, "", new String[] {output}, inputs, attributes)[0];
    }

    /** A node of ONNX Runtime's com.microsoft domain with one output. */
    String microsoftOp(String opType, String[] inputs, AttributeProto... attributes) {
        return node(opType, MICROSOFT, new String[] {null}, inputs, attributes)[0];
    }

    /**
     * A node of the com.microsoft domain with several outputs: {@code outputs[i]} names output i (a graph output), or
     * null for a generated name; an empty input name skips an optional input.
     */
    String[] microsoftOpMulti(String opType, String[] outputs, String[] inputs, AttributeProto... attributes) {
        return node(opType, MICROSOFT, outputs, inputs, attributes);
    }

    /** A node with several outputs, named {@code <node>_out<i>}. */
    String[] opMulti(String opType, int outputs, String[] inputs, AttributeProto... attributes) {
        return node(opType, "", new String[outputs], inputs, attributes);
    }

    /**
     * Adds a node named {@code <opType>_<n>}; output i is {@code outputs[i]}, or when null the node's name for a
     * single output and {@code <node>_out<i>} for several.
     */
    private String[] node(String opType, String domain, String[] outputs, String[] inputs, AttributeProto... attributes) {
        int n = counters.merge(opType, 1, Integer::sum);
        String nodeName = opType + "_" + n;
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName(nodeName);
        if (!domain.isEmpty()) {
            node.setDomain(domain);
            usesMicrosoftOps = true;
        }
        String[] outs = new String[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            outs[i] = outputs[i] != null ? outputs[i] : outputs.length == 1 ? nodeName : nodeName + "_out" + i;
            node.addOutput(outs[i]);
        }
        for (String in : inputs) {
            node.addInput(in);
        }
        for (AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        graph.addNode(node);
        return outs;
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto attrInts(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto attrTensor(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    // ---- the model ----

    /** The finished model: opset 17, this graph, and string metadata (shown by Netron, readable from ORT). */
    ModelProto model(String docString, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("lectern")
                .setProducerVersion("0.1")
                .setDocString(docString)
                .setGraph(graph);
        if (usesMicrosoftOps) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
        }
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }
}
