package io.transferlab.vision.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * How pixel values (RGB, 0..255, NCHW) become network inputs.
 * <ul>
 *   <li>{@code unit}: divided by 255;</li>
 *   <li>{@code caffe}: channels reversed to BGR and the ImageNet mean pixel subtracted, no scaling (what Keras'
 *   {@code imagenet_preprocess_input} does for ResNet50 and VGG16);</li>
 *   <li>{@code torch}: divided by 255, then the ImageNet mean subtracted and divided by the ImageNet standard
 *   deviation per channel (what torchvision's pretrained weights expect);</li>
 *   <li>{@code none}: raw 0..255 values.</li>
 * </ul>
 */
public enum Preprocessing {
    UNIT,
    CAFFE,
    TORCH,
    NONE;

    /** Mean pixel of ImageNet in BGR order, as Keras' caffe mode subtracts it. */
    private static final float[] CAFFE_MEAN_BGR = {103.939f, 116.779f, 123.68f};
    private static final float[] TORCH_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] TORCH_STD = {0.229f, 0.224f, 0.225f};

    public static Preprocessing parse(String value) {
        if (value == null) {
            return UNIT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("preprocessing '" + value + "' is not one of unit, caffe, torch, none", e);
        }
    }

    /** The name used in specs and model cards. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Applies the mode to a float NCHW batch of RGB values in 0..255. May work in place: the result can be
     * {@code rgb} itself, or a new array attached to the same manager.
     */
    public NDArray apply(NDArray rgb) {
        NDManager m = rgb.getManager();
        Shape perChannel = new Shape(1, 3, 1, 1);
        switch (this) {
            case UNIT:
                return rgb.divi(255f);
            case NONE:
                return rgb;
            case CAFFE: {
                NDArray bgr = rgb.flip(1);
                try (NDArray mean = m.create(CAFFE_MEAN_BGR, perChannel)) {
                    return bgr.subi(mean);
                }
            }
            case TORCH: {
                try (NDArray mean = m.create(TORCH_MEAN, perChannel); NDArray std = m.create(TORCH_STD, perChannel)) {
                    return rgb.divi(255f).subi(mean).divi(std);
                }
            }
            default:
                throw new IllegalStateException(name());
        }
    }
}
