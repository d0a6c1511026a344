package lectern;

import lectern.gpt.FloatKernels;

/** Started by NativeKernelChoiceTest in its own JVM: does what LecternMain does first, prints the kernels chosen. */
public final class NativeKernelProbe {

    private NativeKernelProbe() {
    }

    public static void main(String[] args) {
        LecternMain.preferScalarKernelsInNativeImage(System.getProperties());
        System.out.println(FloatKernels.preferred().name());
    }
}
