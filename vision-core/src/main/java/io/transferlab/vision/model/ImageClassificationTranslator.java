package io.transferlab.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.transferlab.vision.image.DecodedImage;
import io.transferlab.vision.image.ImageTensors;
import io.transferlab.vision.image.Preprocessing;

/** Image in (resized to the model's side, preprocessed), class probabilities (softmax of the logits) out. */
final class ImageClassificationTranslator implements Translator<DecodedImage, float[]> {

    private final int side;
    private final Preprocessing preprocessing;

    ImageClassificationTranslator(int side, Preprocessing preprocessing) {
        this.side = side;
        this.preprocessing = preprocessing;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, DecodedImage input) {
        NDArray batch = ImageTensors.single(ctx.getNDManager(), input, side, preprocessing);
        return new NDList(batch.squeeze(0));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().softmax(-1).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
