package io.transferlab.vision.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.MalformedModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A backbone and a head in one DJL {@link Model}, which owns every parameter's native memory: close the network
 * and it is all released. Inputs are preprocessed NCHW images of {@code imageSize}; outputs are logits.
 */
public final class Network implements AutoCloseable {

    private final Model model;
    private final NetworkSpec spec;
    private final Backbone backbone;
    private final HeadBlock head;
    private final Shape featureShape;
    private final Chain block;

    private Network(Model model, NetworkSpec spec, Backbone backbone, HeadBlock head, Shape featureShape,
            Chain block) {
        this.model = model;
        this.spec = spec;
        this.backbone = backbone;
        this.head = head;
        this.featureShape = featureShape;
        this.block = block;
    }

    /** A new DJL model on {@code device} for a network to live in. */
    public static Model newModel(String name, Device device) {
        return Model.newInstance(name, device, io.transferlab.vision.Engines.PYTORCH);
    }

    /**
     * Puts a head initialised from {@code headSeed} on an initialised backbone; the model takes ownership of both.
     */
    public static Network assemble(Model model, NetworkSpec spec, Backbone backbone, long headSeed) {
        NDManager manager = model.getNDManager();
        Shape input = inputShape(spec.imageSize());
        Shape features = backbone.getOutputShapes(new Shape[] {input})[0];
        HeadBlock head = spec.head().newBlock();
        head.setInitializer(new GlorotUniform(headSeed), Parameter.Type.WEIGHT);
        head.initialize(manager, DataType.FLOAT32, features);
        Chain block = new Chain().add("backbone", backbone).add("head", head);
        block.initialize(manager, DataType.FLOAT32, input);
        model.setBlock(block);
        return new Network(model, spec, backbone, head, features.slice(1), block);
    }

    /**
     * Rebuilds a saved network: the same structure, parameters read from {@code in} (as {@link #save} wrote them).
     * TorchScript backbones are restored from the stream itself.
     */
    public static Network load(Model model, NetworkSpec spec, DataInputStream in)
            throws IOException, MalformedModelException {
        NDManager manager = model.getNDManager();
        Backbone backbone = new Backbone(Backbones.emptyBlock(spec.architecture(), manager), spec.architecture(), true);
        HeadBlock head = spec.head().newBlock();
        Chain block = new Chain().add("backbone", backbone).add("head", head);
        block.loadParameters(manager, in);
        model.setBlock(block);
        Shape features = backbone.getOutputShapes(new Shape[] {inputShape(spec.imageSize())})[0];
        return new Network(model, spec, backbone, head, features.slice(1), block);
    }

    public static Shape inputShape(int imageSize) {
        return new Shape(1, 3, imageSize, imageSize);
    }

    public void save(DataOutputStream out) throws IOException {
        block.saveParameters(out);
    }

    public Model model() {
        return model;
    }

    public NetworkSpec spec() {
        return spec;
    }

    public Backbone backbone() {
        return backbone;
    }

    public HeadBlock head() {
        return head;
    }

    /** The whole network as one block: backbone then head. */
    public Chain block() {
        return block;
    }

    /** Shape of one image's backbone output, without the batch axis (C, H, W). */
    public Shape featureShape() {
        return featureShape;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    public long parameterCount() {
        return ParameterCounts.total(block);
    }

    @Override
    public void close() {
        model.close();
    }
}
