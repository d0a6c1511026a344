/**
 * Lectern's GPT in plain Java (no Quarkus, JPA or HTTP): llm.c's train_gpt2.c translated, with both cores and the
 * Vector API.
 *
 * <h2>Where to look</h2>
 * <ul>
 *   <li>{@link lectern.gpt.GptConfig}: the shape (micro, mini) and parameter count.</li>
 *   <li>{@link lectern.gpt.GptModel}: parameters, gradients and activations as three flat float blocks (the class
 *       javadoc draws the activation layout); {@code forward} and {@code backward} call the layers in order.</li>
 *   <li>{@code TransformerBlock}: the one block forward and backward (named parameter offsets and activation
 *       regions, as llm.c), used by {@link lectern.gpt.GptModel} and by {@link lectern.gpt.SequenceClassifier}, which
 *       fine-tunes a classifier head (and the last block, or LoRA adapters beside the attention projections) with the
 *       same loss, optimizer and schedule.</li>
 *   <li>Layers, each a static {@code forward}/{@code backward} pair over flat arrays with explicit sizes; backward
 *       adds (+=) into gradient buffers: {@code Encoder}, {@code LayerNorm}, {@code Matmul} (torch Linear, weights
 *       [out,in]), {@code Attention} (causal, per batch and head), {@code Gelu} (tanh approximation),
 *       {@code Residual}, {@code CrossEntropy} (softmax + loss).</li>
 *   <li>{@link lectern.gpt.FloatKernels}: the inner loops (a register-tiled matrix product, exp, tanh, dot) behind one
 *       interface, {@link lectern.gpt.ScalarKernels} the reference, {@code VectorKernels} on jdk.incubator.vector;
 *       {@code -Dlectern.gpt.simd=false} forces scalar. The matrix product updates every output with
 *       {@code fma} in the same order in both, so they agree bit for bit.</li>
 *   <li>{@link lectern.gpt.WorkerPool} and {@link lectern.gpt.Compute}: all cores, work split into tasks fixed by
 *       problem size, each output written by one task, reductions summed in task order: the same seed and data give
 *       the same losses bit for bit whatever the thread count ({@code -Dlectern.gpt.threads=N}).</li>
 *   <li>{@link lectern.gpt.AdamW}, {@link lectern.gpt.LearningRateSchedule}: the optimizer (decay on 2-D tensors
 *       only, global-norm clipping, over a whole model or a range of its tensors) and warmup + cosine.</li>
 *   <li>{@link lectern.gpt.TrainBenchmark}: tokens/s, GFLOP/s and time per layer kind for GPT-mini or micro
 *       (also tokens per CPU-second, which stays meaningful when other work shares the cores);
 *       {@link lectern.gpt.KernelBenchmark}: each layer's CPU time on one thread, for tuning kernels.</li>
 * </ul>
 * Tokenizer, checkpoints (safetensors), the training driver and the CLI commands live beside these classes and use
 * only the public API above.
 */
package lectern.gpt;
