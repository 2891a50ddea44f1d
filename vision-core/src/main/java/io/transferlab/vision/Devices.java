package io.transferlab.vision;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Picks the device a model runs on and names it the way results report it ({@code cpu()}, {@code gpu(0)}).
 * Nothing here can be tested on a GPU on our own machines: {@code gpu} is a configuration switch.
 */
public final class Devices {

    private Devices() {
    }

    /** The device for a mode; {@code gpu} fails when the engine sees no GPU rather than silently using the CPU. */
    public static Device select(DeviceMode mode) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (mode) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("device mode gpu was configured but the PyTorch engine sees no GPU"
                            + " (a CUDA build of libtorch and a visible device are needed)");
                }
                yield Device.gpu(0);
            }
        };
    }

    /** The name results carry: {@code cpu()} or {@code gpu(0)}. */
    public static String describe(Device device) {
        return device.toString();
    }
}
